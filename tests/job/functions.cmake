# Tests of the HCL function library (tests/job/hcl_functions_test.cpp).
warden_gtest(hcl_functions_test hcl_functions_test.cpp LIBS warden::job)
# The test checks bcrypt hashes with libcrypt itself.
target_link_libraries(hcl_functions_test PRIVATE crypt)
