// slac._slac: the commands of the `slac` program for the Python package (python/slac/).
// Each runs the code the program runs, its output and messages written to memory
// instead of the standard streams, with the GIL released; the package turns the JSON
// into DataFrames and the exit codes into exceptions (docs/python.md).
#include <cstdio>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "cli/commands.hpp"
#include "cli/terminal.hpp"
#include "compiler/loader.hpp"

namespace py = pybind11;
using namespace slac;

namespace {

// What a command wrote and returned.
struct Ran {
  int exit_code = 0;
  std::string out;
  std::string err;
};

// A stream in memory for this thread's commands, closed and read back at the end.
class MemoryStream {
 public:
  MemoryStream() : file_(open_memstream(&buffer_, &size_)) {
    if (file_ == nullptr) throw std::runtime_error("slac: cannot open a stream in memory");
  }
  MemoryStream(const MemoryStream&) = delete;
  MemoryStream& operator=(const MemoryStream&) = delete;
  ~MemoryStream() {
    if (file_ != nullptr) std::fclose(file_);
    std::free(buffer_);
  }
  std::FILE* file() const { return file_; }
  std::string text() {
    std::fclose(file_);
    file_ = nullptr;
    return std::string(buffer_, size_);
  }

 private:
  char* buffer_ = nullptr;
  std::size_t size_ = 0;
  std::FILE* file_;
};

// Runs `command` with the GIL released and this thread's commands writing to memory.
template <typename Command>
Ran run(Command command) {
  MemoryStream out, err;
  Ran ran;
  {
    py::gil_scoped_release release;
    cli::Streams saved = cli::streams();
    cli::streams() = {out.file(), err.file()};
    try {
      ran.exit_code = command();
    } catch (...) {
      cli::streams() = saved;
      throw;
    }
    cli::streams() = saved;
  }
  ran.out = out.text();
  ran.err = err.text();
  return ran;
}

// The contract's declarations the package shows (`Contract.slas`, `.params`); its
// diagnostics as `slac check --format json` gives them.
py::dict describe(const std::string& name, const std::optional<std::string>& text) {
  Compilation c;
  {
    py::gil_scoped_release release;
    c = compile_file(name, text);
  }
  py::dict d;
  d["ok"] = c.ok();
  d["diagnostics"] = diagnostics_json(c.diags, c.program->sources).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  d["errors"] = c.diags.error_count();
  d["warnings"] = c.diags.warning_count();
  if (!c.ok()) return d;
  const Model& m = c.model;
  d["name"] = m.name;
  d["customer"] = m.customer ? py::object(py::str(*m.customer)) : py::none();
  d["currency"] = m.currency ? py::object(py::str(*m.currency)) : py::none();
  d["timezone"] = m.timezone.name;
  py::list slas;
  for (const auto& s : m.slas) {
    py::dict sla;
    sla["name"] = s.name;
    sla["kind"] = s.is_kpi ? "kpi" : "sla";
    sla["text"] = std::string(c.program->sources.text(s.text));
    slas.append(sla);
  }
  d["slas"] = slas;
  py::dict params;
  for (const auto& p : m.params) params[py::str(p.name)] = p.value.to_string();
  d["params"] = params;
  return d;
}

// A command that returns a value (the parts of eval): its CommandError as the program
// reports it, on standard error with the exit code.
template <typename Command>
Ran run_returning(Command command) {
  return run([&] {
    try {
      command();
      return cli::exit_ok;
    } catch (const cli::CommandError& e) {
      std::fprintf(cli::err(), "%s\n", e.message.c_str());
      return e.exit_code;
    }
  });
}

py::tuple with_bytes(const Ran& ran, const std::string& bytes) {
  return py::make_tuple(ran, py::bytes(bytes));
}

}  // namespace

PYBIND11_MODULE(_slac, m) {
  m.doc() = "The commands of the slac program, for the slac package (see docs/python.md).";

  py::class_<Ran>(m, "Ran", "A command's exit code (SPEC 5), standard output and standard error.")
      .def_readonly("exit_code", &Ran::exit_code)
      .def_readonly("out", &Ran::out)
      .def_readonly("err", &Ran::err);

  py::class_<cli::DataOptions>(m, "DataOptions", "The options every data command shares (docs/cli.md).")
      .def(py::init<>())
      .def_readwrite("contract", &cli::DataOptions::contract)
      .def_readwrite("contract_text", &cli::DataOptions::contract_text)
      .def_readwrite("data", &cli::DataOptions::data)
      .def_readwrite("files", &cli::DataOptions::files)
      .def_readwrite("from_", &cli::DataOptions::from)
      .def_readwrite("to", &cli::DataOptions::to)
      .def_readwrite("slas", &cli::DataOptions::slas)
      .def_readwrite("sets", &cli::DataOptions::sets)
      .def_readwrite("format", &cli::DataOptions::format)
      .def_readwrite("skip_bad_rows", &cli::DataOptions::skip_bad_rows)
      .def_readwrite("strict", &cli::DataOptions::strict)
      .def_readwrite("time_unit", &cli::DataOptions::time_unit)
      .def_readwrite("data_timezone", &cli::DataOptions::data_timezone)
      .def_readwrite("data_schema", &cli::DataOptions::data_schema)
      .def_readwrite("data_map", &cli::DataOptions::data_map)
      .def_readwrite("threads", &cli::DataOptions::threads);

  m.def(
      "csv_text",
      [](const py::list& names, const py::list& columns) -> py::tuple {
        // As pandas' DataFrame.to_csv(index=False, lineterminator="\n") (the csv
        // module's QUOTE_MINIMAL): a field holding `,`, `"`, CR or LF is quoted, its
        // quotes doubled; a row of one empty field is written `""`, not as a blank line.
        std::vector<py::array> cols;
        for (const auto& c : columns) {
          py::array a = py::array::ensure(c, py::array::c_style);
          if (!a) throw py::value_error("csv_text: a column that is not an array");
          cols.push_back(std::move(a));
        }
        std::size_t rows = cols.empty() ? 0 : static_cast<std::size_t>(cols[0].size());
        for (const auto& c : cols) {
          if (c.dtype().kind() != 'O' || static_cast<std::size_t>(c.size()) != rows || c.ndim() != 1) {
            throw py::value_error("csv_text: columns are one-dimensional object arrays of one length");
          }
        }
        std::string out;
        auto put = [&](PyObject* o, bool alone) {
          PyObject* s = PyUnicode_Check(o) ? (Py_INCREF(o), o) : PyObject_Str(o);
          if (s == nullptr) throw py::error_already_set();
          Py_ssize_t n = 0;
          const char* u = PyUnicode_AsUTF8AndSize(s, &n);
          if (u == nullptr) {
            Py_DECREF(s);
            PyErr_Clear();
            return false;
          }
          std::string_view v(u, static_cast<std::size_t>(n));
          if (v.find_first_of(",\"\r\n") == std::string_view::npos && !(alone && v.empty())) {
            out.append(v);
          } else {
            out += '"';
            for (char ch : v) {
              if (ch == '"') out += '"';
              out += ch;
            }
            out += '"';
          }
          Py_DECREF(s);
          return true;
        };
        for (std::size_t k = 0; k < names.size(); ++k) {
          if (k) out += ',';
          if (!put(names[k].ptr(), names.size() == 1)) return py::make_tuple(py::none(), -1);
        }
        out += '\n';
        std::vector<PyObject* const*> data;
        for (const auto& c : cols) data.push_back(static_cast<PyObject* const*>(c.data()));
        for (std::size_t r = 0; r < rows; ++r) {
          for (std::size_t k = 0; k < data.size(); ++k) {
            if (k) out += ',';
            if (!put(data[k][r], data.size() == 1)) return py::make_tuple(py::none(), r);
          }
          out += '\n';
        }
        return py::make_tuple(py::str(out.data(), out.size()), py::none());
      },
      py::arg("names"), py::arg("columns"),
      "The CSV text of a table of object columns, as pandas' `to_csv(index=False, lineterminator=\"\\n\")` writes "
      "it: `(text, None)`, or `(None, row)` for the first row (-1: the header) holding a text that is not Unicode.");
  m.def("describe", &describe, py::arg("name"), py::arg("text") = std::nullopt,
        "Compiles a contract (the file `name`, or `text` named so): a dict with `ok`, `errors`, `warnings`, "
        "`diagnostics` (JSON text) and, when it compiles, `name`, `customer`, `currency`, `timezone`, `slas` and "
        "`params`.");
  m.def(
      "eval",
      [](const cli::DataOptions& data) {
        return run([&] { return cli::run_eval(cli::EvalOptions{data, false}); });
      },
      py::arg("options"), "`slac eval` (SPEC 5.1).");
  m.def(
      "eval_scan",
      [](const cli::DataOptions& data) {
        cli::EvalScan scan;
        Ran ran = run_returning([&] { scan = cli::run_eval_scan(data); });
        return py::make_tuple(ran, scan.rows, scan.earliest, scan.latest);
      },
      py::arg("options"),
      "eval's scan of a partition's events (`files`): (Ran, rows, earliest, latest), the times in epoch ms of the "
      "used events (None when there is none).");
  m.def(
      "eval_map",
      [](const cli::DataOptions& data, const std::vector<std::string>& sites, std::uint64_t rows,
         std::optional<std::int64_t> earliest, std::optional<std::int64_t> latest,
         py::array_t<std::int64_t, py::array::c_style | py::array::forcecast> line_ordinals) {
        cli::EvalMapOptions o{data, sites, cli::EvalScan{rows, earliest, latest},
                              std::vector<std::int64_t>(line_ordinals.data(), line_ordinals.data() + line_ordinals.size())};
        std::string bytes;
        Ran ran = run_returning([&] { bytes = cli::run_eval_map(o); });
        return with_bytes(ran, bytes);
      },
      py::arg("options"), py::arg("sites"), py::arg("rows"), py::arg("earliest"), py::arg("latest"),
      py::arg("line_ordinals"),
      "eval's map: the partial (bytes) of the sites a partition owns, over the span of the whole data (its rows, "
      "earliest and latest used event, the scans added). (Ran, bytes).");
  m.def(
      "eval_merge",
      [](const cli::DataOptions& data, const std::vector<std::string>& partials) {
        std::string bytes;
        Ran ran = run_returning([&] { bytes = cli::run_eval_merge(data, partials); });
        return with_bytes(ran, bytes);
      },
      py::arg("options"), py::arg("partials"), "Partials (bytes) merged into one. (Ran, bytes).");
  m.def(
      "eval_reduce",
      [](const cli::DataOptions& data, const std::vector<std::string>& partials) {
        return run([&] { return cli::run_eval_reduce(cli::EvalOptions{data, false}, partials); });
      },
      py::arg("options"), py::arg("partials"), "`slac eval` (SPEC 5.1) from the partials of every partition.");
  m.def(
      "status",
      [](const cli::DataOptions& data, const std::string& as_of, std::optional<std::uint64_t> seed) {
        return run([&] { return cli::run_status(cli::StatusCommandOptions{data, as_of, seed}); });
      },
      py::arg("options"), py::arg("as_of"), py::arg("seed") = std::nullopt, "`slac status` (SPEC 5.2).");
  m.def(
      "whatif",
      [](const cli::DataOptions& data, const std::vector<std::string>& sweeps, std::optional<std::string> recommend) {
        return run([&] { return cli::run_whatif(cli::WhatifOptions{data, sweeps, recommend, std::nullopt}); });
      },
      py::arg("options"), py::arg("sweeps"), py::arg("recommend") = std::nullopt, "`slac whatif` (SPEC 5.3).");
  m.def(
      "explain",
      [](const std::string& contract, const std::vector<std::string>& sets, const std::vector<std::string>& slas,
         const std::optional<std::string>& text) {
        return run([&] { return cli::run_explain(cli::ExplainOptions{contract, sets, slas, text}); });
      },
      py::arg("contract"), py::arg("sets"), py::arg("slas"), py::arg("text") = std::nullopt,
      "`slac explain` (of the file `contract`, or of `text` named so).");
}
