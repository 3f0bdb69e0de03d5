// Import resolution: relative paths and the embedded standard contracts, with cycles
// and missing files reported at the import that names them.
#include "compiler/loader.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "compiler/stdlib.hpp"
#include "grammar/parse.hpp"

namespace slac {

namespace fs = std::filesystem;

std::string read_text_file(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) throw FileError(fmt::format("cannot read '{}': it is a directory", path));
  // A device or a pipe could be endless: only regular files (and standard input, read
  // by the caller) are contracts.
  if (fs::exists(path, ec) && !fs::is_regular_file(path, ec)) {
    throw FileError(fmt::format("cannot read '{}': not a regular file", path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FileError(fmt::format("cannot read '{}': {}", path, std::strerror(errno)));
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  if (text.size() >= 0xFFFFFFF0u) throw FileError(fmt::format("cannot read '{}': larger than 4 GiB", path));
  return text;
}

namespace {

class Loader {
 public:
  Loader(Program& program, Diagnostics& diags) : program_(program), diags_(diags) {}

  void load_root(const std::string& path, std::optional<std::string> text) {
    std::string key = path == "-" ? "-" : canonical(path);
    std::string content = text ? std::move(*text) : read_text_file(path);
    add_unit(path == "-" ? "<stdin>" : path, std::move(content), key, path == "-" ? fs::current_path() : fs::path(path).parent_path());
  }

 private:
  static std::string canonical(const std::string& path) {
    std::error_code ec;
    fs::path p = fs::weakly_canonical(fs::path(path), ec);
    return ec ? path : p.string();
  }

  // A file to load: where an import led.
  struct Next {
    std::string display;
    std::string content;
    std::string key;
    fs::path dir;
  };

  // Parses a file, then its imports depth first; `stack_` holds the keys of the files
  // being loaded, so that an import of one of them is a cycle. Imports may chain
  // without limit (a.sla imports b.sla, which imports c.sla, ...), so the files being
  // loaded are an explicit stack, not a recursion.
  void add_unit(std::string display, std::string content, std::string key, fs::path dir) {
    struct Open {
      std::vector<ast::ImportDecl> imports;
      std::size_t next = 0;
      fs::path dir;
    };
    std::vector<Open> open;
    auto start = [&](Next file) {
      const SourceFile& source = program_.sources.add(std::move(file.display), std::move(file.content));
      std::size_t index = program_.units.size();
      program_.units.push_back(Unit{source.id(), parse_file(source, diags_), file.key});
      loaded_[file.key] = index;
      stack_.push_back(std::move(file.key));
      // Copy the imports: loading more units may move program_.units.
      Open o;
      for (const auto& d : program_.units[index].ast.decls) {
        if (const auto* imp = std::get_if<ast::ImportDecl>(&d.v)) o.imports.push_back(*imp);
      }
      o.dir = std::move(file.dir);
      open.push_back(std::move(o));
    };
    start(Next{std::move(display), std::move(content), std::move(key), std::move(dir)});
    while (!open.empty()) {
      Open& top = open.back();
      if (top.next == top.imports.size()) {
        open.pop_back();
        stack_.pop_back();
        continue;
      }
      const ast::ImportDecl& imp = top.imports[top.next++];
      if (auto next = resolve(imp, top.dir)) start(std::move(*next));
    }
  }

  // The file an import names, when it is to be loaded now; errors for one that is
  // missing or closes a cycle.
  std::optional<Next> resolve(const ast::ImportDecl& imp, const fs::path& dir) {
    const std::string& target = imp.path.value;
    std::string key;
    std::string display;
    std::optional<std::string> content;
    fs::path next_dir = dir;
    if (target.starts_with("std/")) {
      std::string name = target.substr(4);
      if (name.ends_with(".sla")) name.resize(name.size() - 4);
      key = "std/" + name;
      display = "std/" + name + ".sla";
      if (!loaded_.contains(key)) {
        for (const auto& c : stdlib_contracts()) {
          if (c.name == name) content = std::string(c.text);
        }
        if (!content) {
          std::vector<std::string_view> names;
          for (const auto& c : stdlib_contracts()) names.push_back(c.name);
          auto& d = diags_.error(Code::import_not_found, imp.path.range,
                                 fmt::format("there is no standard contract `{}`", target));
          if (auto near = closest_name(name, names)) {
            d.message += fmt::format("; did you mean `std/{}`?", *near);
          } else if (!names.empty()) {
            std::string list;
            for (auto n : names) list += fmt::format("{}std/{}", list.empty() ? "" : ", ", n);
            d.notes.push_back({fmt::format("the standard contracts are: {}", list), std::nullopt});
          }
          return std::nullopt;
        }
      }
    } else {
      fs::path p = fs::path(target);
      if (p.is_relative()) p = dir / p;
      std::error_code ec;
      if (!fs::exists(p, ec) && p.extension() != ".sla" && fs::exists(fs::path(p.string() + ".sla"), ec)) {
        p = fs::path(p.string() + ".sla");
      }
      display = p.lexically_normal().string();
      key = canonical(p.string());
      next_dir = p.parent_path();
      if (!loaded_.contains(key)) {
        try {
          content = read_text_file(p.string());
        } catch (const FileError& e) {
          diags_.error(Code::import_not_found, imp.path.range,
                       fmt::format("cannot import \"{}\": {}", target, e.what()));
          return std::nullopt;
        }
      }
    }
    for (const auto& open : stack_) {
      if (open == key) {
        diags_.error(Code::import_cycle, imp.path.range,
                     fmt::format("import cycle: \"{}\" imports, directly or not, the file that imports it", target));
        return std::nullopt;
      }
    }
    if (loaded_.contains(key)) return std::nullopt;  // a diamond: one copy of each file
    return Next{std::move(display), std::move(*content), std::move(key), std::move(next_dir)};
  }

  Program& program_;
  Diagnostics& diags_;
  std::map<std::string, std::size_t> loaded_;
  std::vector<std::string> stack_;
};

}  // namespace

std::unique_ptr<Program> load_program(const std::string& path, Diagnostics& diags, std::optional<std::string> text) {
  auto program = std::make_unique<Program>();
  Loader loader(*program, diags);
  loader.load_root(path, std::move(text));
  return program;
}

Compilation compile_file(const std::string& path, std::optional<std::string> text) {
  Compilation c;
  c.program = load_program(path, c.diags, std::move(text));
  c.model = check_program(*c.program, c.diags);
  c.diags.sort();
  return c;
}

}  // namespace slac
