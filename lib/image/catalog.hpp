// The store's records (internal): names/<name>.json and objects/<id>/object.json.
#pragma once

#include <string>

#include "warden/core/error.hpp"
#include "warden/image/store.hpp"

namespace warden::image::detail {

// A name record holds everything of ImageInfo but the paths.
std::string name_record_json(const ImageInfo& info);
Result<ImageInfo> parse_name_record(std::string_view json, const std::string& file);

}  // namespace warden::image::detail
