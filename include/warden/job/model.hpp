// The nomad job specification as typed C++ structs (nomad's `api` package, field for field).
//
// Every Go pointer field is a Nullable<T> (std::optional): "not set" is kept apart from a zero
// value, because nomad's defaults (canonicalize.hpp) fill exactly the unset fields and the API
// JSON writes unset fields as null. Slices and maps are nullable too: JSON tells `null` from `[]`.
// Field order is the Go declaration order, which is also the order of the JSON keys.
//
// The field tables that drive HCL decoding and JSON encoding live in lib/job/model/fields.cpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "warden/job/hcl/value.hpp"

namespace warden::job {

template <class T>
using Nullable = std::optional<T>;
using Duration = std::chrono::nanoseconds;  // JSON: integer nanoseconds, like Go's time.Duration
using StringMap = std::map<std::string, std::string>;
// Free-form values such as a driver's `config`: an HCL object value (JSON-like).
using Opaque = hcl::Value;
// Raw bytes (a dispatched job's payload); base64 in JSON.
struct Bytes {
  std::string data;
  friend bool operator==(const Bytes&, const Bytes&) = default;
};

// A placement constraint: `attribute operator value`, or a shorthand (distinct_hosts, version,
// ...).
struct Constraint {
  std::string ltarget;
  std::string rtarget;
  std::string operand;

  friend bool operator==(const Constraint&, const Constraint&) = default;
};

// A placement preference with a weight in -100..100.
struct Affinity {
  std::string ltarget;
  std::string rtarget;
  std::string operand;
  Nullable<int64_t> weight;

  friend bool operator==(const Affinity&, const Affinity&) = default;
};

// One target value of a spread and the share of allocations it should get.
struct SpreadTarget {
  std::string value;
  int64_t percent = 0;

  friend bool operator==(const SpreadTarget&, const SpreadTarget&) = default;
};

// Spread allocations across the values of a node attribute.
struct Spread {
  std::string attribute;
  Nullable<int64_t> weight;
  Nullable<std::vector<SpreadTarget>> spread_target;

  friend bool operator==(const Spread&, const Spread&) = default;
};

// How a new job version replaces the running allocations.
struct UpdateStrategy {
  Nullable<Duration> stagger;
  Nullable<int64_t> max_parallel;
  Nullable<std::string> health_check;
  Nullable<Duration> min_healthy_time;
  Nullable<Duration> healthy_deadline;
  Nullable<Duration> progress_deadline;
  Nullable<int64_t> canary;
  Nullable<bool> auto_revert;
  Nullable<bool> auto_promote;

  friend bool operator==(const UpdateStrategy&, const UpdateStrategy&) = default;
};

struct MultiregionStrategy {
  Nullable<int64_t> max_parallel;
  Nullable<std::string> on_failure;

  friend bool operator==(const MultiregionStrategy&, const MultiregionStrategy&) = default;
};

struct MultiregionRegion {
  std::string name;
  Nullable<int64_t> count;
  Nullable<std::vector<std::string>> datacenters;
  std::string node_pool;
  Nullable<StringMap> meta;

  friend bool operator==(const MultiregionRegion&, const MultiregionRegion&) = default;
};

struct Multiregion {
  Nullable<MultiregionStrategy> strategy;
  Nullable<std::vector<MultiregionRegion>> regions;

  friend bool operator==(const Multiregion&, const Multiregion&) = default;
};

// Run the job on a cron schedule.
struct PeriodicConfig {
  Nullable<bool> enabled;
  Nullable<std::string> spec;
  Nullable<std::vector<std::string>> specs;
  Nullable<std::string> spec_type;
  Nullable<bool> prohibit_overlap;
  Nullable<std::string> time_zone;

  friend bool operator==(const PeriodicConfig&, const PeriodicConfig&) = default;
};

// A job that is dispatched with a payload and metadata.
struct ParameterizedJobConfig {
  std::string payload;
  Nullable<std::vector<std::string>> meta_required;
  Nullable<std::vector<std::string>> meta_optional;

  friend bool operator==(const ParameterizedJobConfig&, const ParameterizedJobConfig&) = default;
};

// How failed allocations are replaced.
struct ReschedulePolicy {
  Nullable<int64_t> attempts;
  Nullable<Duration> interval;
  Nullable<Duration> delay;
  Nullable<std::string> delay_function;
  Nullable<Duration> max_delay;
  Nullable<bool> unlimited;

  friend bool operator==(const ReschedulePolicy&, const ReschedulePolicy&) = default;
};

// How allocations move off a draining node.
struct MigrateStrategy {
  Nullable<int64_t> max_parallel;
  Nullable<std::string> health_check;
  Nullable<Duration> min_healthy_time;
  Nullable<Duration> healthy_deadline;

  friend bool operator==(const MigrateStrategy&, const MigrateStrategy&) = default;
};

struct JobUILink {
  std::string label;
  std::string url;

  friend bool operator==(const JobUILink&, const JobUILink&) = default;
};

struct JobUIConfig {
  std::string description;
  Nullable<std::vector<JobUILink>> links;

  friend bool operator==(const JobUIConfig&, const JobUIConfig&) = default;
};

struct JobVersionTag {
  std::string name;
  std::string description;
  int64_t tagged_time = 0;

  friend bool operator==(const JobVersionTag&, const JobVersionTag&) = default;
};

struct TaskGroupSelection {
  std::string name;
  Nullable<int64_t> count;
  Nullable<std::vector<std::string>> groups;

  friend bool operator==(const TaskGroupSelection&, const TaskGroupSelection&) = default;
};

// How a task is restarted on the same node after it fails.
struct RestartPolicy {
  Nullable<Duration> interval;
  Nullable<int64_t> attempts;
  Nullable<Duration> delay;
  Nullable<std::string> mode;
  Nullable<bool> render_templates;

  friend bool operator==(const RestartPolicy&, const RestartPolicy&) = default;
};

// What happens to allocations on a node that loses contact.
struct DisconnectStrategy {
  Nullable<Duration> lost_after;
  Nullable<Duration> stop_on_client_after;
  Nullable<bool> replace;
  Nullable<std::string> reconcile;

  friend bool operator==(const DisconnectStrategy&, const DisconnectStrategy&) = default;
};

// The allocation's local disk.
struct EphemeralDisk {
  Nullable<bool> sticky;
  Nullable<bool> migrate;
  Nullable<int64_t> size_mb;

  friend bool operator==(const EphemeralDisk&, const EphemeralDisk&) = default;
};

struct CSIMountOptions {
  std::string fs_type;
  Nullable<std::vector<std::string>> mount_flags;

  friend bool operator==(const CSIMountOptions&, const CSIMountOptions&) = default;
};

// A host or CSI volume the group asks for.
struct VolumeRequest {
  std::string name;
  std::string type;
  std::string source;
  bool read_only = false;
  bool sticky = false;
  std::string access_mode;
  std::string attachment_mode;
  Nullable<CSIMountOptions> mount_options;
  bool per_alloc = false;

  friend bool operator==(const VolumeRequest&, const VolumeRequest&) = default;
};

// Where a task mounts one of its group's volumes.
struct VolumeMount {
  Nullable<std::string> volume;
  Nullable<std::string> destination;
  Nullable<bool> read_only;
  Nullable<std::string> propagation_mode;
  Nullable<std::string> selinux_label;

  friend bool operator==(const VolumeMount&, const VolumeMount&) = default;
};

struct DNSConfig {
  Nullable<std::vector<std::string>> servers;
  Nullable<std::vector<std::string>> searches;
  Nullable<std::vector<std::string>> options;

  friend bool operator==(const DNSConfig&, const DNSConfig&) = default;
};

struct CNIConfig {
  Nullable<StringMap> args;

  friend bool operator==(const CNIConfig&, const CNIConfig&) = default;
};

// A port label; `static` reserves a fixed host port, otherwise a dynamic one is picked.
struct Port {
  std::string label;
  int64_t value = 0;
  int64_t to = 0;
  std::string host_network;
  bool ignore_collision = false;

  friend bool operator==(const Port&, const Port&) = default;
};

// A group's (or task's) network: mode and ports.
struct NetworkResource {
  std::string mode;
  std::string device;
  std::string cidr;
  std::string ip;
  Nullable<DNSConfig> dns;
  Nullable<std::vector<Port>> reserved_ports;
  Nullable<std::vector<Port>> dynamic_ports;
  std::string hostname;
  Nullable<int64_t> mbits;
  Nullable<CNIConfig> cni;

  friend bool operator==(const NetworkResource&, const NetworkResource&) = default;
};

struct NUMAResource {
  std::string affinity;
  Nullable<std::vector<std::string>> devices;

  friend bool operator==(const NUMAResource&, const NUMAResource&) = default;
};

struct RequestedDevice {
  std::string name;
  Nullable<int64_t> count;
  Nullable<std::vector<Constraint>> constraints;
  Nullable<std::vector<Affinity>> affinities;

  friend bool operator==(const RequestedDevice&, const RequestedDevice&) = default;
};

// What a task needs: CPU in MHz (or whole cores), memory and disk in MB.
struct Resources {
  Nullable<int64_t> cpu;
  Nullable<int64_t> cores;
  Nullable<int64_t> memory_mb;
  Nullable<int64_t> memory_max_mb;
  Nullable<int64_t> disk_mb;
  Nullable<std::vector<NetworkResource>> networks;
  Nullable<std::vector<RequestedDevice>> devices;
  Nullable<NUMAResource> numa;
  Nullable<int64_t> secrets_mb;
  Nullable<int64_t> iops;

  friend bool operator==(const Resources&, const Resources&) = default;
};

struct ScalingPolicy {
  Nullable<int64_t> min;
  Nullable<int64_t> max;
  Nullable<Opaque> policy;
  Nullable<bool> enabled;
  std::string type;
  std::string id;
  std::string namespace_;
  Nullable<StringMap> target;
  int64_t create_index = 0;
  int64_t modify_index = 0;

  friend bool operator==(const ScalingPolicy&, const ScalingPolicy&) = default;
};

// Restart a task whose health check keeps failing.
struct CheckRestart {
  int64_t limit = 0;
  Nullable<Duration> grace;
  bool ignore_warnings = false;

  friend bool operator==(const CheckRestart&, const CheckRestart&) = default;
};

// A health check of a service: tcp, http, script or grpc.
struct ServiceCheck {
  std::string name;
  std::string type;
  std::string command;
  Nullable<std::vector<std::string>> args;
  std::string path;
  std::string protocol;
  std::string port_label;
  bool expose = false;
  std::string address_mode;
  std::string advertise;
  Duration interval{};
  Duration timeout{};
  std::string initial_status;
  std::string notes;
  std::string tls_server_name;
  bool tls_skip_verify = false;
  Nullable<std::map<std::string, std::vector<std::string>>> header;
  std::string method;
  Nullable<CheckRestart> check_restart;
  std::string grpc_service;
  bool grpc_use_tls = false;
  std::string task_name;
  int64_t success_before_passing = 0;
  int64_t failures_before_critical = 0;
  int64_t failures_before_warning = 0;
  std::string body;
  std::string on_update;

  friend bool operator==(const ServiceCheck&, const ServiceCheck&) = default;
};

struct ServiceWeights {
  int64_t passing = 0;
  int64_t warning = 0;

  friend bool operator==(const ServiceWeights&, const ServiceWeights&) = default;
};

struct Consul {
  std::string namespace_;
  std::string cluster;
  std::string partition;

  friend bool operator==(const Consul&, const Consul&) = default;
};

struct ConsulExposePath {
  std::string path;
  std::string protocol;
  int64_t local_path_port = 0;
  std::string listener_port;

  friend bool operator==(const ConsulExposePath&, const ConsulExposePath&) = default;
};

struct ConsulExposeConfig {
  Nullable<std::vector<ConsulExposePath>> paths;
  Nullable<std::vector<ConsulExposePath>> path;

  friend bool operator==(const ConsulExposeConfig&, const ConsulExposeConfig&) = default;
};

struct ConsulMeshGateway {
  std::string mode;

  friend bool operator==(const ConsulMeshGateway&, const ConsulMeshGateway&) = default;
};

struct ConsulUpstream {
  std::string destination_name;
  std::string destination_namespace;
  std::string destination_peer;
  std::string destination_partition;
  std::string destination_type;
  int64_t local_bind_port = 0;
  std::string datacenter;
  std::string local_bind_address;
  std::string local_bind_socket_path;
  std::string local_bind_socket_mode;
  Nullable<ConsulMeshGateway> mesh_gateway;
  Nullable<Opaque> config;

  friend bool operator==(const ConsulUpstream&, const ConsulUpstream&) = default;
};

struct ConsulTransparentProxy {
  std::string uid;
  int64_t outbound_port = 0;
  Nullable<std::vector<std::string>> exclude_inbound_ports;
  Nullable<std::vector<int64_t>> exclude_outbound_ports;
  Nullable<std::vector<std::string>> exclude_outbound_cidrs;
  Nullable<std::vector<std::string>> exclude_uids;
  bool no_dns = false;

  friend bool operator==(const ConsulTransparentProxy&, const ConsulTransparentProxy&) = default;
};

struct ConsulProxy {
  std::string local_service_address;
  int64_t local_service_port = 0;
  Nullable<ConsulExposeConfig> expose;
  Nullable<ConsulExposeConfig> expose_config;
  Nullable<std::vector<ConsulUpstream>> upstreams;
  Nullable<ConsulTransparentProxy> transparent_proxy;
  Nullable<Opaque> config;

  friend bool operator==(const ConsulProxy&, const ConsulProxy&) = default;
};

struct ConsulSidecarService {
  Nullable<std::vector<std::string>> tags;
  std::string port;
  Nullable<ConsulProxy> proxy;
  bool disable_default_tcp_check = false;
  Nullable<StringMap> meta;

  friend bool operator==(const ConsulSidecarService&, const ConsulSidecarService&) = default;
};

// How many log files of what size the task keeps.
struct LogConfig {
  Nullable<int64_t> max_files;
  Nullable<int64_t> max_file_size_mb;
  Nullable<bool> enabled;
  Nullable<bool> disabled;

  friend bool operator==(const LogConfig&, const LogConfig&) = default;
};

struct SidecarTask {
  std::string name;
  std::string driver;
  std::string user;
  Nullable<Opaque> config;
  Nullable<StringMap> env;
  Nullable<Resources> resources;
  Nullable<StringMap> meta;
  Nullable<Duration> kill_timeout;
  Nullable<LogConfig> log_config;
  Nullable<Duration> shutdown_delay;
  std::string kill_signal;

  friend bool operator==(const SidecarTask&, const SidecarTask&) = default;
};

struct ConsulGatewayBindAddress {
  std::string name;
  std::string address;
  int64_t port = 0;

  friend bool operator==(const ConsulGatewayBindAddress&,
                         const ConsulGatewayBindAddress&) = default;
};

struct ConsulGatewayProxy {
  Nullable<Duration> connect_timeout;
  bool envoy_gateway_bind_tagged_addresses = false;
  Nullable<std::map<std::string, ConsulGatewayBindAddress>> envoy_gateway_bind_addresses;
  bool envoy_gateway_no_default_bind = false;
  std::string envoy_dns_discovery_type;
  Nullable<Opaque> config;

  friend bool operator==(const ConsulGatewayProxy&, const ConsulGatewayProxy&) = default;
};

struct ConsulGatewayTLSSDSConfig {
  std::string cluster_name;
  std::string cert_resource;

  friend bool operator==(const ConsulGatewayTLSSDSConfig&,
                         const ConsulGatewayTLSSDSConfig&) = default;
};

struct ConsulGatewayTLSConfig {
  bool enabled = false;
  std::string tls_min_version;
  std::string tls_max_version;
  Nullable<std::vector<std::string>> cipher_suites;
  Nullable<ConsulGatewayTLSSDSConfig> sds;

  friend bool operator==(const ConsulGatewayTLSConfig&, const ConsulGatewayTLSConfig&) = default;
};

struct ConsulHTTPHeaderModifiers {
  Nullable<StringMap> add;
  Nullable<StringMap> set;
  Nullable<std::vector<std::string>> remove;

  friend bool operator==(const ConsulHTTPHeaderModifiers&,
                         const ConsulHTTPHeaderModifiers&) = default;
};

struct ConsulIngressService {
  std::string name;
  Nullable<std::vector<std::string>> hosts;
  Nullable<ConsulGatewayTLSConfig> tls;
  Nullable<ConsulHTTPHeaderModifiers> request_headers;
  Nullable<ConsulHTTPHeaderModifiers> response_headers;
  Nullable<int64_t> max_connections;
  Nullable<int64_t> max_pending_requests;
  Nullable<int64_t> max_concurrent_requests;

  friend bool operator==(const ConsulIngressService&, const ConsulIngressService&) = default;
};

struct ConsulIngressListener {
  int64_t port = 0;
  std::string protocol;
  Nullable<std::vector<ConsulIngressService>> services;

  friend bool operator==(const ConsulIngressListener&, const ConsulIngressListener&) = default;
};

struct ConsulIngressConfigEntry {
  Nullable<ConsulGatewayTLSConfig> tls;
  Nullable<std::vector<ConsulIngressListener>> listeners;

  friend bool operator==(const ConsulIngressConfigEntry&,
                         const ConsulIngressConfigEntry&) = default;
};

struct ConsulLinkedService {
  std::string name;
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  std::string sni;

  friend bool operator==(const ConsulLinkedService&, const ConsulLinkedService&) = default;
};

struct ConsulTerminatingConfigEntry {
  Nullable<std::vector<ConsulLinkedService>> services;

  friend bool operator==(const ConsulTerminatingConfigEntry&,
                         const ConsulTerminatingConfigEntry&) = default;
};

struct ConsulMeshConfigEntry {
  friend bool operator==(const ConsulMeshConfigEntry&, const ConsulMeshConfigEntry&) = default;
};

struct ConsulGateway {
  Nullable<ConsulGatewayProxy> proxy;
  Nullable<ConsulIngressConfigEntry> ingress;
  Nullable<ConsulTerminatingConfigEntry> terminating;
  Nullable<ConsulMeshConfigEntry> mesh;

  friend bool operator==(const ConsulGateway&, const ConsulGateway&) = default;
};

struct ConsulConnect {
  bool native = false;
  Nullable<ConsulGateway> gateway;
  Nullable<ConsulSidecarService> sidecar_service;
  Nullable<SidecarTask> sidecar_task;

  friend bool operator==(const ConsulConnect&, const ConsulConnect&) = default;
};

struct WorkloadIdentity {
  std::string name;
  Nullable<std::vector<std::string>> audience;
  std::string change_mode;
  std::string change_signal;
  bool env = false;
  bool file = false;
  std::string filepath;
  std::string service_name;
  Duration ttl{};

  friend bool operator==(const WorkloadIdentity&, const WorkloadIdentity&) = default;
};

// A service the group or task registers in the catalog, with its health checks.
struct Service {
  std::string name;
  Nullable<std::vector<std::string>> tags;
  Nullable<std::vector<std::string>> canary_tags;
  bool enable_tag_override = false;
  std::string port_label;
  std::string address_mode;
  std::string address;
  Nullable<std::vector<ServiceCheck>> checks;
  Nullable<CheckRestart> check_restart;
  Nullable<ConsulConnect> connect;
  Nullable<StringMap> meta;
  Nullable<StringMap> canary_meta;
  Nullable<StringMap> tagged_addresses;
  std::string task_name;
  std::string on_update;
  Nullable<WorkloadIdentity> identity;
  Nullable<ServiceWeights> weights;
  std::string provider;
  std::string cluster;
  std::string kind;

  friend bool operator==(const Service&, const Service&) = default;
};

struct TaskLifecycle {
  std::string hook;
  bool sidecar = false;

  friend bool operator==(const TaskLifecycle&, const TaskLifecycle&) = default;
};

// A file the client downloads into the task directory before starting it.
struct TaskArtifact {
  Nullable<std::string> getter_source;
  Nullable<StringMap> getter_options;
  Nullable<StringMap> getter_headers;
  Nullable<std::string> getter_mode;
  Nullable<bool> getter_insecure;
  Nullable<std::string> relative_dest;
  bool chown = false;

  friend bool operator==(const TaskArtifact&, const TaskArtifact&) = default;
};

struct WaitConfig {
  Nullable<Duration> min;
  Nullable<Duration> max;

  friend bool operator==(const WaitConfig&, const WaitConfig&) = default;
};

struct ChangeScript {
  Nullable<std::string> command;
  Nullable<std::vector<std::string>> args;
  Nullable<Duration> timeout;
  Nullable<bool> fail_on_error;

  friend bool operator==(const ChangeScript&, const ChangeScript&) = default;
};

// A file rendered into the task directory.
struct Template {
  Nullable<std::string> source_path;
  Nullable<std::string> dest_path;
  Nullable<std::string> embedded_tmpl;
  Nullable<std::string> change_mode;
  Nullable<ChangeScript> change_script;
  Nullable<std::string> change_signal;
  Nullable<bool> once;
  Nullable<Duration> splay;
  Nullable<std::string> perms;
  Nullable<int64_t> uid;
  Nullable<int64_t> gid;
  Nullable<std::string> left_delim;
  Nullable<std::string> right_delim;
  Nullable<bool> envvars;
  Nullable<Duration> vault_grace;
  Nullable<WaitConfig> wait;
  Nullable<bool> err_missing_key;

  friend bool operator==(const Template&, const Template&) = default;
};

struct Vault {
  Nullable<std::vector<std::string>> policies;
  std::string role;
  Nullable<std::string> namespace_;
  std::string cluster;
  Nullable<bool> env;
  Nullable<bool> disable_file;
  Nullable<std::string> change_mode;
  Nullable<std::string> change_signal;
  Nullable<bool> allow_token_expiration;

  friend bool operator==(const Vault&, const Vault&) = default;
};

struct Secret {
  std::string name;
  std::string provider;
  std::string path;
  Nullable<Opaque> config;
  Nullable<StringMap> env;

  friend bool operator==(const Secret&, const Secret&) = default;
};

struct DispatchPayloadConfig {
  std::string file;

  friend bool operator==(const DispatchPayloadConfig&, const DispatchPayloadConfig&) = default;
};

struct TaskCSIPluginConfig {
  std::string id;
  std::string type;
  std::string mount_dir;
  std::string stage_publish_base_dir;
  Duration health_timeout{};

  friend bool operator==(const TaskCSIPluginConfig&, const TaskCSIPluginConfig&) = default;
};

struct Action {
  std::string name;
  std::string command;
  Nullable<std::vector<std::string>> args;

  friend bool operator==(const Action&, const Action&) = default;
};

struct TaskScheduleCron {
  std::string start;
  std::string end;
  std::string timezone;

  friend bool operator==(const TaskScheduleCron&, const TaskScheduleCron&) = default;
};

struct TaskSchedule {
  Nullable<TaskScheduleCron> cron;

  friend bool operator==(const TaskSchedule&, const TaskSchedule&) = default;
};

// One process run by a driver, with its resources, services, files and policies.
struct Task {
  std::string name;
  std::string driver;
  std::string user;
  Nullable<TaskLifecycle> lifecycle;
  Nullable<Opaque> config;
  Nullable<std::vector<Constraint>> constraints;
  Nullable<std::vector<Affinity>> affinities;
  Nullable<StringMap> env;
  Nullable<std::vector<Service>> services;
  Nullable<Resources> resources;
  Nullable<RestartPolicy> restart_policy;
  Nullable<StringMap> meta;
  Nullable<Duration> kill_timeout;
  Nullable<LogConfig> log_config;
  Nullable<std::vector<TaskArtifact>> artifacts;
  Nullable<Vault> vault;
  Nullable<Consul> consul;
  Nullable<std::vector<Template>> templates;
  Nullable<DispatchPayloadConfig> dispatch_payload;
  Nullable<std::vector<VolumeMount>> volume_mounts;
  Nullable<TaskCSIPluginConfig> csi_plugin_config;
  bool leader = false;
  Duration shutdown_delay{};
  std::string kill_signal;
  std::string kind;
  Nullable<std::vector<ScalingPolicy>> scaling_policies;
  Nullable<std::vector<Secret>> secrets;
  Nullable<WorkloadIdentity> identity;
  Nullable<std::vector<WorkloadIdentity>> identities;
  Nullable<std::vector<Action>> actions;
  Nullable<TaskSchedule> schedule;

  friend bool operator==(const Task&, const Task&) = default;
};

// A set of tasks placed together on one node; `count` copies of it run.
struct TaskGroup {
  Nullable<std::string> name;
  Nullable<int64_t> count;
  Nullable<std::vector<Constraint>> constraints;
  Nullable<std::vector<Affinity>> affinities;
  Nullable<std::vector<Task>> tasks;
  Nullable<std::vector<Spread>> spreads;
  Nullable<std::map<std::string, VolumeRequest>> volumes;
  Nullable<RestartPolicy> restart_policy;
  Nullable<DisconnectStrategy> disconnect;
  Nullable<ReschedulePolicy> reschedule_policy;
  Nullable<EphemeralDisk> ephemeral_disk;
  Nullable<UpdateStrategy> update;
  Nullable<MigrateStrategy> migrate;
  Nullable<std::vector<NetworkResource>> networks;
  Nullable<StringMap> meta;
  Nullable<std::vector<Service>> services;
  Nullable<Duration> shutdown_delay;
  Nullable<Duration> stop_after_client_disconnect;
  Nullable<Duration> max_client_disconnect;
  Nullable<ScalingPolicy> scaling;
  Nullable<Consul> consul;
  Nullable<bool> prevent_reschedule_on_lost;

  friend bool operator==(const TaskGroup&, const TaskGroup&) = default;
};

// A nomad job: what to run (groups of tasks), where, and how to update and reschedule it.
struct Job {
  Nullable<std::string> region;
  Nullable<std::string> namespace_;
  Nullable<std::string> id;
  Nullable<std::string> name;
  Nullable<std::string> type;
  Nullable<int64_t> priority;
  Nullable<bool> all_at_once;
  Nullable<std::vector<std::string>> datacenters;
  Nullable<std::string> node_pool;
  Nullable<std::vector<Constraint>> constraints;
  Nullable<std::vector<Affinity>> affinities;
  Nullable<std::vector<TaskGroup>> task_groups;
  Nullable<std::vector<TaskGroupSelection>> group_selections;
  Nullable<UpdateStrategy> update;
  Nullable<Multiregion> multiregion;
  Nullable<std::vector<Spread>> spreads;
  Nullable<PeriodicConfig> periodic;
  Nullable<ParameterizedJobConfig> parameterized_job;
  Nullable<ReschedulePolicy> reschedule;
  Nullable<MigrateStrategy> migrate;
  Nullable<StringMap> meta;
  Nullable<JobUIConfig> ui;
  Nullable<bool> stop;
  Nullable<std::string> parent_id;
  bool dispatched = false;
  Nullable<std::string> dispatch_idempotency_token;
  Nullable<Bytes> payload;
  Nullable<std::string> consul_namespace;
  Nullable<std::string> vault_namespace;
  Nullable<std::string> nomad_token_id;
  Nullable<std::string> status;
  Nullable<std::string> status_description;
  Nullable<bool> stable;
  Nullable<int64_t> version;
  Nullable<int64_t> submit_time;
  Nullable<int64_t> create_index;
  Nullable<int64_t> modify_index;
  Nullable<int64_t> job_modify_index;
  Nullable<JobVersionTag> version_tag;

  friend bool operator==(const Job&, const Job&) = default;
};

}  // namespace warden::job
