# Conan 2 recipe for warden. Conan is not installable on the development machines (no PyPI), so
# this recipe is kept minimal and checked only for syntax by the test suite; it mirrors what
# CMakeLists.txt needs and installs. Build: `conan create conan --build=missing`.
from conan import ConanFile
from conan.tools.cmake import CMake, CMakeToolchain, CMakeDeps, cmake_layout
from conan.tools.files import copy


class WardenConan(ConanFile):
    name = "warden"
    version = "0.1.0"
    license = "MPL-2.0"
    description = "Embeddable SDK for orchestrating jails, with a stable C ABI"
    settings = "os", "arch", "compiler", "build_type"
    options = {"fPIC": [True, False]}
    default_options = {"fPIC": True}
    exports_sources = ("CMakeLists.txt", "CMakePresets.json", "cmake/*", "include/*", "lib/*", "capi/*",
                       "examples/*", "bench/*", "tests/*", "bindings/*")

    def layout(self):
        cmake_layout(self, src_folder="..")

    def requirements(self):
        self.requires("boost/1.81.0", headers_only=True)
        self.requires("simdjson/3.0.1")
        self.requires("openssl/[>=3.0 <4]")
        self.requires("libyaml/0.2.5")

    def generate(self):
        tc = CMakeToolchain(self)
        tc.variables["WARDEN_BUILD_TESTS"] = False
        tc.variables["WARDEN_BUILD_BENCH"] = False
        tc.variables["WARDEN_BUILD_EXAMPLES"] = False
        tc.generate()
        CMakeDeps(self).generate()

    def build(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.build()

    def package(self):
        CMake(self).install()
        copy(self, "LICENSE*", src=self.source_folder, dst=self.package_folder)

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "warden")
        self.cpp_info.set_property("cmake_target_name", "warden::warden")
        self.cpp_info.set_property("pkg_config_name", "warden")
        self.cpp_info.libs = ["warden"]
