"""Builds the extension module `slac._slac` with the project's CMake (docs/python.md).

`pip install --no-build-isolation .` configures a Release build in build-pip/cmake
(or builds in SLAC_CMAKE_BUILD_DIR, an already configured build folder, as it is)
and builds only the target `_slac`; the package's Python files come from python/slac.
Needs what scripts/install-deps.sh installs (CMake, Ninja, a C++20 compiler, the
libraries, pybind11-dev); errors of CMake are printed as they are.
"""
import os
import pathlib
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = pathlib.Path(__file__).resolve().parent


class CMakeExtension(Extension):
    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        given = os.environ.get("SLAC_CMAKE_BUILD_DIR")
        build_dir = pathlib.Path(given).resolve() if given else ROOT / "build-pip" / "cmake"
        if not (build_dir / "CMakeCache.txt").exists():
            if given:
                sys.exit(f"setup.py: SLAC_CMAKE_BUILD_DIR={given} is not a configured CMake build folder")
            build_dir.mkdir(parents=True, exist_ok=True)
            generator = ["-G", "Ninja"] if shutil.which("ninja") else []
            subprocess.run(["cmake", "-S", str(ROOT), "-B", str(build_dir), *generator,
                            "-DCMAKE_BUILD_TYPE=Release", "-DSLAC_PYTHON=ON", "-DSLAC_WERROR=OFF",
                            f"-DPython_EXECUTABLE={sys.executable}"], check=True)
        jobs = str(os.cpu_count() or 1)
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "_slac", "--parallel", jobs], check=True)
        built = sorted((build_dir / "python" / "slac").glob("_slac*.so"))
        if not built:
            sys.exit(f"setup.py: the build made no _slac module in {build_dir}/python/slac")
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built[0], target)


setup(
    packages=["slac"],
    package_dir={"slac": "python/slac"},
    ext_modules=[CMakeExtension("slac._slac")],
    cmdclass={"build_ext": CMakeBuild},
    options={"build": {"build_base": "build-pip"}, "egg_info": {"egg_base": "build-pip"}},
    zip_safe=False,
)
