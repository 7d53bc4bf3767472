# Tests of the HCL native syntax: lexer, parser and evaluator (tests/job/hcl_*_test.cpp).
warden_gtest(hcl_syntax_test hcl_lexer_test.cpp hcl_parser_test.cpp hcl_eval_test.cpp
             LIBS warden::job)
# The lexer tests use the internal token header (lib/job/hcl/token.hpp).
target_include_directories(hcl_syntax_test PRIVATE ${PROJECT_SOURCE_DIR}/lib/job)
