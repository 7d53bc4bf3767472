# The nginx-minipot job of the pot + nomad walkthrough: one nginx jail from the potluck image,
# its port 80 mapped to a dynamic host port, registered as service "hello-web" with a tcp check.
job "nginx-minipot" {
  datacenters = ["minipot"]
  type        = "service"

  group "group1" {
    count = 1

    network {
      port "http" {}
    }

    task "www1" {
      driver = "pot"

      service {
        tags = ["nginx", "www"]
        name = "hello-web"
        port = "http"

        check {
          type     = "tcp"
          name     = "tcp"
          interval = "5s"
          timeout  = "2s"
        }
      }

      config {
        image    = "https://potluck.honeyguide.net/nginx-nomad"
        pot      = "nginx-nomad-amd64-13_1"
        tag      = "1.1.13"
        command  = "nginx"
        args     = ["-g", "'daemon off;'"]
        port_map = {
          http = "80"
        }
      }

      resources {
        cpu    = 200
        memory = 64
      }
    }
  }
}
