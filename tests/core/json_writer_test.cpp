#include <gtest/gtest.h>

#include "warden/core/json_writer.hpp"

using warden::JsonWriter;

TEST(JsonWriter, CompactLikeGoEncoding) {
  JsonWriter w;
  w.begin_object()
      .key("a")
      .integer(1)
      .key("b")
      .begin_array()
      .string("x")
      .null()
      .boolean(true)
      .end_array();
  w.key("c").begin_object().end_object().key("d").begin_array().end_array().end_object();
  EXPECT_EQ(w.str(), R"({"a":1,"b":["x",null,true],"c":{},"d":[]})");
}

TEST(JsonWriter, IndentedLikeMarshalIndent) {
  JsonWriter w("    ");
  w.begin_object()
      .key("Job")
      .begin_object()
      .key("ID")
      .string("x")
      .key("Meta")
      .begin_object()
      .end_object();
  w.key("List").begin_array().integer(1).end_array().end_object().end_object();
  EXPECT_EQ(w.str(),
            "{\n    \"Job\": {\n        \"ID\": \"x\",\n        \"Meta\": {},\n        \"List\": "
            "[\n            1\n        ]\n    }\n}");
}

TEST(JsonWriter, EscapesAsGoDoes) {
  std::string out;
  JsonWriter::append_quoted(out, "<a&b>\"\\\n\t\x01\xe2\x80\xa8ok");
  EXPECT_EQ(out, R"("\u003ca\u0026b\u003e\"\\\n\t\u0001\u2028ok")");
  out.clear();
  JsonWriter::append_quoted(out, "bad\xff");
  EXPECT_EQ(out, R"("bad\ufffd")");
}

TEST(JsonWriter, FloatsLikeGo) {
  EXPECT_EQ(JsonWriter::format_double(3.2), "3.2");
  EXPECT_EQ(JsonWriter::format_double(1e21), "1e+21");
  EXPECT_EQ(JsonWriter::format_double(1e20), "100000000000000000000");
  EXPECT_EQ(JsonWriter::format_double(1e-7), "1e-7");
  EXPECT_EQ(JsonWriter::format_double(0.000001), "0.000001");
  EXPECT_EQ(JsonWriter::format_double(-0.5), "-0.5");
}
