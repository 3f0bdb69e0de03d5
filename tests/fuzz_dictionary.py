#!/usr/bin/env python3
"""The contract fuzzers' dictionary holds every keyword of the grammar.

libFuzzer mutates contracts with the words of fuzz/sla.dict; a keyword missing there is
a form the fuzzer reaches only by luck (docs/robustness.md). Reads the keywords from
grammar/grammar.hpp (`TAO_PEGTL_KEYWORD( "word" )`) and fails, naming them, when any is
not an entry of the dictionary.
Usage: fuzz_dictionary.py SOURCE_DIR
"""
import os
import re
import sys


def main(root):
    grammar = open(os.path.join(root, "grammar", "grammar.hpp"), encoding="utf-8").read()
    keywords = set(re.findall(r'TAO_PEGTL_KEYWORD\(\s*"([^"]+)"\s*\)', grammar))
    if len(keywords) < 50:
        sys.exit(f"found only {len(keywords)} keywords in grammar/grammar.hpp: has the macro changed?")
    dictionary = open(os.path.join(root, "fuzz", "sla.dict"), encoding="utf-8").read()
    entries = set(re.findall(r'^"(.*)"\s*$', dictionary, re.MULTILINE))
    missing = sorted(keywords - entries)
    if missing:
        sys.exit("fuzz/sla.dict lacks the keywords: " + ", ".join(missing))
    print(f"{len(keywords)} keywords, all in fuzz/sla.dict")


if __name__ == "__main__":
    main(sys.argv[1])
