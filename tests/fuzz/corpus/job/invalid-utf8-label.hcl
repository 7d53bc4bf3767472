# Copyright (c) HashiCorp, Inc.
# SPDX-License-Identifier: MPL-2.0

job "service_eto" {
  type = "service"

  group "groupÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿ" {
    task "task" {
      service {
        name                = "example"
        enable_tag_override = true
      }
    }
  }
}
