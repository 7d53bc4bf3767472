# Tests of the job model: decoding, defaults, validation and API JSON.
warden_gtest(job_model_test jobspec_test.cpp canonicalize_test.cpp validate_test.cpp api_json_test.cpp LIBS warden::job)
