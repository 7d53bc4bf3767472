# Tests of the HCL function library (tests/job/hcl_functions_test.cpp).
