// The field tables: for every struct of model.hpp, each field's JSON key (the Go field name),
// its HCL form (attribute, required attribute, block, label) and, where it matters, its integer
// range. One line per field; the decoders and encoders in this folder are driven by them.
#include "fields.hpp"

namespace warden::job::detail {

// clang-format off

template <>
const StructDesc<Constraint>& desc<Constraint>() {
  static const StructDesc<Constraint> d("Constraint", field_list<Constraint>(
      field(&Constraint::ltarget, "LTarget", Hcl::attr, "attribute"),
      field(&Constraint::rtarget, "RTarget", Hcl::attr, "value"),
      field(&Constraint::operand, "Operand", Hcl::attr, "operator")
  ));
  return d;
}

template <>
const StructDesc<Affinity>& desc<Affinity>() {
  static const StructDesc<Affinity> d("Affinity", field_list<Affinity>(
      field(&Affinity::ltarget, "LTarget", Hcl::attr, "attribute"),
      field(&Affinity::rtarget, "RTarget", Hcl::attr, "value"),
      field(&Affinity::operand, "Operand", Hcl::attr, "operator"),
      field(&Affinity::weight, "Weight", Hcl::attr, "weight", IntRange::int8)
  ));
  return d;
}

template <>
const StructDesc<SpreadTarget>& desc<SpreadTarget>() {
  static const StructDesc<SpreadTarget> d("SpreadTarget", field_list<SpreadTarget>(
      field(&SpreadTarget::value, "Value", Hcl::label, ""),
      field(&SpreadTarget::percent, "Percent", Hcl::attr, "percent", IntRange::uint8)
  ));
  return d;
}

template <>
const StructDesc<Spread>& desc<Spread>() {
  static const StructDesc<Spread> d("Spread", field_list<Spread>(
      field(&Spread::attribute, "Attribute", Hcl::attr, "attribute"),
      field(&Spread::weight, "Weight", Hcl::attr, "weight", IntRange::int8),
      field(&Spread::spread_target, "SpreadTarget", Hcl::block, "target")
  ));
  return d;
}

template <>
const StructDesc<UpdateStrategy>& desc<UpdateStrategy>() {
  static const StructDesc<UpdateStrategy> d("UpdateStrategy", field_list<UpdateStrategy>(
      field(&UpdateStrategy::stagger, "Stagger", Hcl::attr, "stagger"),
      field(&UpdateStrategy::max_parallel, "MaxParallel", Hcl::attr, "max_parallel"),
      field(&UpdateStrategy::health_check, "HealthCheck", Hcl::attr, "health_check"),
      field(&UpdateStrategy::min_healthy_time, "MinHealthyTime", Hcl::attr, "min_healthy_time"),
      field(&UpdateStrategy::healthy_deadline, "HealthyDeadline", Hcl::attr, "healthy_deadline"),
      field(&UpdateStrategy::progress_deadline, "ProgressDeadline", Hcl::attr, "progress_deadline"),
      field(&UpdateStrategy::canary, "Canary", Hcl::attr, "canary"),
      field(&UpdateStrategy::auto_revert, "AutoRevert", Hcl::attr, "auto_revert"),
      field(&UpdateStrategy::auto_promote, "AutoPromote", Hcl::attr, "auto_promote")
  ));
  return d;
}

template <>
const StructDesc<MultiregionStrategy>& desc<MultiregionStrategy>() {
  static const StructDesc<MultiregionStrategy> d("MultiregionStrategy", field_list<MultiregionStrategy>(
      field(&MultiregionStrategy::max_parallel, "MaxParallel", Hcl::attr, "max_parallel"),
      field(&MultiregionStrategy::on_failure, "OnFailure", Hcl::attr, "on_failure")
  ));
  return d;
}

template <>
const StructDesc<MultiregionRegion>& desc<MultiregionRegion>() {
  static const StructDesc<MultiregionRegion> d("MultiregionRegion", field_list<MultiregionRegion>(
      field(&MultiregionRegion::name, "Name", Hcl::label, ""),
      field(&MultiregionRegion::count, "Count", Hcl::attr, "count"),
      field(&MultiregionRegion::datacenters, "Datacenters", Hcl::attr, "datacenters"),
      field(&MultiregionRegion::node_pool, "NodePool", Hcl::attr, "node_pool"),
      field(&MultiregionRegion::meta, "Meta", Hcl::block, "meta")
  ));
  return d;
}

template <>
const StructDesc<Multiregion>& desc<Multiregion>() {
  static const StructDesc<Multiregion> d("Multiregion", field_list<Multiregion>(
      field(&Multiregion::strategy, "Strategy", Hcl::block, "strategy"),
      field(&Multiregion::regions, "Regions", Hcl::block, "region")
  ));
  return d;
}

template <>
const StructDesc<PeriodicConfig>& desc<PeriodicConfig>() {
  static const StructDesc<PeriodicConfig> d("PeriodicConfig", field_list<PeriodicConfig>(
      field(&PeriodicConfig::enabled, "Enabled", Hcl::attr, "enabled"),
      field(&PeriodicConfig::spec, "Spec", Hcl::attr, "cron"),
      field(&PeriodicConfig::specs, "Specs", Hcl::attr, "crons"),
      field(&PeriodicConfig::spec_type, "SpecType", Hcl::none, ""),
      field(&PeriodicConfig::prohibit_overlap, "ProhibitOverlap", Hcl::attr, "prohibit_overlap"),
      field(&PeriodicConfig::time_zone, "TimeZone", Hcl::attr, "time_zone")
  ));
  return d;
}

template <>
const StructDesc<ParameterizedJobConfig>& desc<ParameterizedJobConfig>() {
  static const StructDesc<ParameterizedJobConfig> d("ParameterizedJobConfig", field_list<ParameterizedJobConfig>(
      field(&ParameterizedJobConfig::payload, "Payload", Hcl::attr, "payload"),
      field(&ParameterizedJobConfig::meta_required, "MetaRequired", Hcl::attr, "meta_required"),
      field(&ParameterizedJobConfig::meta_optional, "MetaOptional", Hcl::attr, "meta_optional")
  ));
  return d;
}

template <>
const StructDesc<ReschedulePolicy>& desc<ReschedulePolicy>() {
  static const StructDesc<ReschedulePolicy> d("ReschedulePolicy", field_list<ReschedulePolicy>(
      field(&ReschedulePolicy::attempts, "Attempts", Hcl::attr, "attempts"),
      field(&ReschedulePolicy::interval, "Interval", Hcl::attr, "interval"),
      field(&ReschedulePolicy::delay, "Delay", Hcl::attr, "delay"),
      field(&ReschedulePolicy::delay_function, "DelayFunction", Hcl::attr, "delay_function"),
      field(&ReschedulePolicy::max_delay, "MaxDelay", Hcl::attr, "max_delay"),
      field(&ReschedulePolicy::unlimited, "Unlimited", Hcl::attr, "unlimited")
  ));
  return d;
}

template <>
const StructDesc<MigrateStrategy>& desc<MigrateStrategy>() {
  static const StructDesc<MigrateStrategy> d("MigrateStrategy", field_list<MigrateStrategy>(
      field(&MigrateStrategy::max_parallel, "MaxParallel", Hcl::attr, "max_parallel"),
      field(&MigrateStrategy::health_check, "HealthCheck", Hcl::attr, "health_check"),
      field(&MigrateStrategy::min_healthy_time, "MinHealthyTime", Hcl::attr, "min_healthy_time"),
      field(&MigrateStrategy::healthy_deadline, "HealthyDeadline", Hcl::attr, "healthy_deadline")
  ));
  return d;
}

template <>
const StructDesc<JobUILink>& desc<JobUILink>() {
  static const StructDesc<JobUILink> d("JobUILink", field_list<JobUILink>(
      field(&JobUILink::label, "Label", Hcl::attr, "label"),
      field(&JobUILink::url, "URL", Hcl::attr, "url")
  ));
  return d;
}

template <>
const StructDesc<JobUIConfig>& desc<JobUIConfig>() {
  static const StructDesc<JobUIConfig> d("JobUIConfig", field_list<JobUIConfig>(
      field(&JobUIConfig::description, "Description", Hcl::attr, "description"),
      field(&JobUIConfig::links, "Links", Hcl::block, "link")
  ));
  return d;
}

template <>
const StructDesc<JobVersionTag>& desc<JobVersionTag>() {
  static const StructDesc<JobVersionTag> d("JobVersionTag", field_list<JobVersionTag>(
      field(&JobVersionTag::name, "Name", Hcl::none, ""),
      field(&JobVersionTag::description, "Description", Hcl::none, ""),
      field(&JobVersionTag::tagged_time, "TaggedTime", Hcl::none, "")
  ));
  return d;
}

template <>
const StructDesc<TaskGroupSelection>& desc<TaskGroupSelection>() {
  static const StructDesc<TaskGroupSelection> d("TaskGroupSelection", field_list<TaskGroupSelection>(
      field(&TaskGroupSelection::name, "Name", Hcl::label, ""),
      field(&TaskGroupSelection::count, "Count", Hcl::attr, "count"),
      field(&TaskGroupSelection::groups, "Groups", Hcl::required, "groups")
  ));
  return d;
}

template <>
const StructDesc<RestartPolicy>& desc<RestartPolicy>() {
  static const StructDesc<RestartPolicy> d("RestartPolicy", field_list<RestartPolicy>(
      field(&RestartPolicy::interval, "Interval", Hcl::attr, "interval"),
      field(&RestartPolicy::attempts, "Attempts", Hcl::attr, "attempts"),
      field(&RestartPolicy::delay, "Delay", Hcl::attr, "delay"),
      field(&RestartPolicy::mode, "Mode", Hcl::attr, "mode"),
      field(&RestartPolicy::render_templates, "RenderTemplates", Hcl::attr, "render_templates")
  ));
  return d;
}

template <>
const StructDesc<DisconnectStrategy>& desc<DisconnectStrategy>() {
  static const StructDesc<DisconnectStrategy> d("DisconnectStrategy", field_list<DisconnectStrategy>(
      field(&DisconnectStrategy::lost_after, "LostAfter", Hcl::attr, "lost_after"),
      field(&DisconnectStrategy::stop_on_client_after, "StopOnClientAfter", Hcl::attr, "stop_on_client_after"),
      field(&DisconnectStrategy::replace, "Replace", Hcl::attr, "replace"),
      field(&DisconnectStrategy::reconcile, "Reconcile", Hcl::attr, "reconcile")
  ));
  return d;
}

template <>
const StructDesc<EphemeralDisk>& desc<EphemeralDisk>() {
  static const StructDesc<EphemeralDisk> d("EphemeralDisk", field_list<EphemeralDisk>(
      field(&EphemeralDisk::sticky, "Sticky", Hcl::attr, "sticky"),
      field(&EphemeralDisk::migrate, "Migrate", Hcl::attr, "migrate"),
      field(&EphemeralDisk::size_mb, "SizeMB", Hcl::attr, "size")
  ));
  return d;
}

template <>
const StructDesc<CSIMountOptions>& desc<CSIMountOptions>() {
  static const StructDesc<CSIMountOptions> d("CSIMountOptions", field_list<CSIMountOptions>(
      field(&CSIMountOptions::fs_type, "FSType", Hcl::attr, "fs_type"),
      field(&CSIMountOptions::mount_flags, "MountFlags", Hcl::attr, "mount_flags")
  ));
  return d;
}

template <>
const StructDesc<VolumeRequest>& desc<VolumeRequest>() {
  static const StructDesc<VolumeRequest> d("VolumeRequest", field_list<VolumeRequest>(
      field(&VolumeRequest::name, "Name", Hcl::label, ""),
      field(&VolumeRequest::type, "Type", Hcl::attr, "type"),
      field(&VolumeRequest::source, "Source", Hcl::attr, "source"),
      field(&VolumeRequest::read_only, "ReadOnly", Hcl::attr, "read_only"),
      field(&VolumeRequest::sticky, "Sticky", Hcl::attr, "sticky"),
      field(&VolumeRequest::access_mode, "AccessMode", Hcl::attr, "access_mode"),
      field(&VolumeRequest::attachment_mode, "AttachmentMode", Hcl::attr, "attachment_mode"),
      field(&VolumeRequest::mount_options, "MountOptions", Hcl::block, "mount_options"),
      field(&VolumeRequest::per_alloc, "PerAlloc", Hcl::attr, "per_alloc")
  ));
  return d;
}

template <>
const StructDesc<VolumeMount>& desc<VolumeMount>() {
  static const StructDesc<VolumeMount> d("VolumeMount", field_list<VolumeMount>(
      field(&VolumeMount::volume, "Volume", Hcl::attr, "volume"),
      field(&VolumeMount::destination, "Destination", Hcl::attr, "destination"),
      field(&VolumeMount::read_only, "ReadOnly", Hcl::attr, "read_only"),
      field(&VolumeMount::propagation_mode, "PropagationMode", Hcl::attr, "propagation_mode"),
      field(&VolumeMount::selinux_label, "SELinuxLabel", Hcl::attr, "selinux_label")
  ));
  return d;
}

template <>
const StructDesc<DNSConfig>& desc<DNSConfig>() {
  static const StructDesc<DNSConfig> d("DNSConfig", field_list<DNSConfig>(
      field(&DNSConfig::servers, "Servers", Hcl::attr, "servers"),
      field(&DNSConfig::searches, "Searches", Hcl::attr, "searches"),
      field(&DNSConfig::options, "Options", Hcl::attr, "options")
  ));
  return d;
}

template <>
const StructDesc<CNIConfig>& desc<CNIConfig>() {
  static const StructDesc<CNIConfig> d("CNIConfig", field_list<CNIConfig>(
      field(&CNIConfig::args, "Args", Hcl::attr, "args")
  ));
  return d;
}

template <>
const StructDesc<Port>& desc<Port>() {
  static const StructDesc<Port> d("Port", field_list<Port>(
      field(&Port::label, "Label", Hcl::label, ""),
      field(&Port::value, "Value", Hcl::attr, "static"),
      field(&Port::to, "To", Hcl::attr, "to"),
      field(&Port::host_network, "HostNetwork", Hcl::attr, "host_network"),
      field(&Port::ignore_collision, "IgnoreCollision", Hcl::attr, "ignore_collision")
  ));
  return d;
}

template <>
const StructDesc<NetworkResource>& desc<NetworkResource>() {
  static const StructDesc<NetworkResource> d("NetworkResource", field_list<NetworkResource>(
      field(&NetworkResource::mode, "Mode", Hcl::attr, "mode"),
      field(&NetworkResource::device, "Device", Hcl::attr, "device"),
      field(&NetworkResource::cidr, "CIDR", Hcl::attr, "cidr"),
      field(&NetworkResource::ip, "IP", Hcl::attr, "ip"),
      field(&NetworkResource::dns, "DNS", Hcl::block, "dns"),
      field(&NetworkResource::reserved_ports, "ReservedPorts", Hcl::block, "reserved_ports"),
      field(&NetworkResource::dynamic_ports, "DynamicPorts", Hcl::block, "port"),
      field(&NetworkResource::hostname, "Hostname", Hcl::attr, "hostname"),
      field(&NetworkResource::mbits, "MBits", Hcl::attr, "mbits"),
      field(&NetworkResource::cni, "CNI", Hcl::block, "cni")
  ));
  return d;
}

template <>
const StructDesc<NUMAResource>& desc<NUMAResource>() {
  static const StructDesc<NUMAResource> d("NUMAResource", field_list<NUMAResource>(
      field(&NUMAResource::affinity, "Affinity", Hcl::attr, "affinity"),
      field(&NUMAResource::devices, "Devices", Hcl::attr, "devices")
  ));
  return d;
}

template <>
const StructDesc<RequestedDevice>& desc<RequestedDevice>() {
  static const StructDesc<RequestedDevice> d("RequestedDevice", field_list<RequestedDevice>(
      field(&RequestedDevice::name, "Name", Hcl::label, ""),
      field(&RequestedDevice::count, "Count", Hcl::attr, "count", IntRange::uint64),
      field(&RequestedDevice::constraints, "Constraints", Hcl::block, "constraint"),
      field(&RequestedDevice::affinities, "Affinities", Hcl::block, "affinity")
  ));
  return d;
}

template <>
const StructDesc<Resources>& desc<Resources>() {
  static const StructDesc<Resources> d("Resources", field_list<Resources>(
      field(&Resources::cpu, "CPU", Hcl::attr, "cpu"),
      field(&Resources::cores, "Cores", Hcl::attr, "cores"),
      field(&Resources::memory_mb, "MemoryMB", Hcl::attr, "memory"),
      field(&Resources::memory_max_mb, "MemoryMaxMB", Hcl::attr, "memory_max"),
      field(&Resources::disk_mb, "DiskMB", Hcl::attr, "disk"),
      field(&Resources::networks, "Networks", Hcl::block, "network"),
      field(&Resources::devices, "Devices", Hcl::block, "device"),
      field(&Resources::numa, "NUMA", Hcl::block, "numa"),
      field(&Resources::secrets_mb, "SecretsMB", Hcl::attr, "secrets"),
      field(&Resources::iops, "IOPS", Hcl::attr, "iops")
  ));
  return d;
}

template <>
const StructDesc<ScalingPolicy>& desc<ScalingPolicy>() {
  static const StructDesc<ScalingPolicy> d("ScalingPolicy", field_list<ScalingPolicy>(
      field(&ScalingPolicy::min, "Min", Hcl::attr, "min"),
      field(&ScalingPolicy::max, "Max", Hcl::attr, "max"),
      field(&ScalingPolicy::policy, "Policy", Hcl::block, "policy"),
      field(&ScalingPolicy::enabled, "Enabled", Hcl::attr, "enabled"),
      field(&ScalingPolicy::type, "Type", Hcl::attr, "type"),
      field(&ScalingPolicy::id, "ID", Hcl::none, ""),
      field(&ScalingPolicy::namespace_, "Namespace", Hcl::none, ""),
      field(&ScalingPolicy::target, "Target", Hcl::none, ""),
      field(&ScalingPolicy::create_index, "CreateIndex", Hcl::none, "", IntRange::uint64),
      field(&ScalingPolicy::modify_index, "ModifyIndex", Hcl::none, "", IntRange::uint64)
  ));
  return d;
}

template <>
const StructDesc<CheckRestart>& desc<CheckRestart>() {
  static const StructDesc<CheckRestart> d("CheckRestart", field_list<CheckRestart>(
      field(&CheckRestart::limit, "Limit", Hcl::attr, "limit"),
      field(&CheckRestart::grace, "Grace", Hcl::attr, "grace"),
      field(&CheckRestart::ignore_warnings, "IgnoreWarnings", Hcl::attr, "ignore_warnings")
  ));
  return d;
}

template <>
const StructDesc<ServiceCheck>& desc<ServiceCheck>() {
  static const StructDesc<ServiceCheck> d("ServiceCheck", field_list<ServiceCheck>(
      field(&ServiceCheck::name, "Name", Hcl::attr, "name"),
      field(&ServiceCheck::type, "Type", Hcl::attr, "type"),
      field(&ServiceCheck::command, "Command", Hcl::attr, "command"),
      field(&ServiceCheck::args, "Args", Hcl::attr, "args"),
      field(&ServiceCheck::path, "Path", Hcl::attr, "path"),
      field(&ServiceCheck::protocol, "Protocol", Hcl::attr, "protocol"),
      field(&ServiceCheck::port_label, "PortLabel", Hcl::attr, "port"),
      field(&ServiceCheck::expose, "Expose", Hcl::attr, "expose"),
      field(&ServiceCheck::address_mode, "AddressMode", Hcl::attr, "address_mode"),
      field(&ServiceCheck::advertise, "Advertise", Hcl::attr, "advertise"),
      field(&ServiceCheck::interval, "Interval", Hcl::attr, "interval"),
      field(&ServiceCheck::timeout, "Timeout", Hcl::attr, "timeout"),
      field(&ServiceCheck::initial_status, "InitialStatus", Hcl::attr, "initial_status"),
      field(&ServiceCheck::notes, "Notes", Hcl::attr, "notes"),
      field(&ServiceCheck::tls_server_name, "TLSServerName", Hcl::attr, "tls_server_name"),
      field(&ServiceCheck::tls_skip_verify, "TLSSkipVerify", Hcl::attr, "tls_skip_verify"),
      field(&ServiceCheck::header, "Header", Hcl::block, "header"),
      field(&ServiceCheck::method, "Method", Hcl::attr, "method"),
      field(&ServiceCheck::check_restart, "CheckRestart", Hcl::block, "check_restart"),
      field(&ServiceCheck::grpc_service, "GRPCService", Hcl::attr, "grpc_service"),
      field(&ServiceCheck::grpc_use_tls, "GRPCUseTLS", Hcl::attr, "grpc_use_tls"),
      field(&ServiceCheck::task_name, "TaskName", Hcl::attr, "task"),
      field(&ServiceCheck::success_before_passing, "SuccessBeforePassing", Hcl::attr, "success_before_passing"),
      field(&ServiceCheck::failures_before_critical, "FailuresBeforeCritical", Hcl::attr, "failures_before_critical"),
      field(&ServiceCheck::failures_before_warning, "FailuresBeforeWarning", Hcl::attr, "failures_before_warning"),
      field(&ServiceCheck::body, "Body", Hcl::attr, "body"),
      field(&ServiceCheck::on_update, "OnUpdate", Hcl::attr, "on_update")
  ));
  return d;
}

template <>
const StructDesc<ServiceWeights>& desc<ServiceWeights>() {
  static const StructDesc<ServiceWeights> d("ServiceWeights", field_list<ServiceWeights>(
      field(&ServiceWeights::passing, "Passing", Hcl::attr, "passing"),
      field(&ServiceWeights::warning, "Warning", Hcl::attr, "warning")
  ));
  return d;
}

template <>
const StructDesc<Consul>& desc<Consul>() {
  static const StructDesc<Consul> d("Consul", field_list<Consul>(
      field(&Consul::namespace_, "Namespace", Hcl::attr, "namespace"),
      field(&Consul::cluster, "Cluster", Hcl::attr, "cluster"),
      field(&Consul::partition, "Partition", Hcl::attr, "partition")
  ));
  return d;
}

template <>
const StructDesc<ConsulExposePath>& desc<ConsulExposePath>() {
  static const StructDesc<ConsulExposePath> d("ConsulExposePath", field_list<ConsulExposePath>(
      field(&ConsulExposePath::path, "Path", Hcl::attr, "path"),
      field(&ConsulExposePath::protocol, "Protocol", Hcl::attr, "protocol"),
      field(&ConsulExposePath::local_path_port, "LocalPathPort", Hcl::attr, "local_path_port"),
      field(&ConsulExposePath::listener_port, "ListenerPort", Hcl::attr, "listener_port")
  ));
  return d;
}

template <>
const StructDesc<ConsulExposeConfig>& desc<ConsulExposeConfig>() {
  static const StructDesc<ConsulExposeConfig> d("ConsulExposeConfig", field_list<ConsulExposeConfig>(
      field(&ConsulExposeConfig::paths, "Paths", Hcl::block, "path"),
      field(&ConsulExposeConfig::path, "Path", Hcl::none, "")
  ));
  return d;
}

template <>
const StructDesc<ConsulMeshGateway>& desc<ConsulMeshGateway>() {
  static const StructDesc<ConsulMeshGateway> d("ConsulMeshGateway", field_list<ConsulMeshGateway>(
      field(&ConsulMeshGateway::mode, "Mode", Hcl::attr, "mode")
  ));
  return d;
}

template <>
const StructDesc<ConsulUpstream>& desc<ConsulUpstream>() {
  static const StructDesc<ConsulUpstream> d("ConsulUpstream", field_list<ConsulUpstream>(
      field(&ConsulUpstream::destination_name, "DestinationName", Hcl::attr, "destination_name"),
      field(&ConsulUpstream::destination_namespace, "DestinationNamespace", Hcl::attr, "destination_namespace"),
      field(&ConsulUpstream::destination_peer, "DestinationPeer", Hcl::attr, "destination_peer"),
      field(&ConsulUpstream::destination_partition, "DestinationPartition", Hcl::attr, "destination_partition"),
      field(&ConsulUpstream::destination_type, "DestinationType", Hcl::attr, "destination_type"),
      field(&ConsulUpstream::local_bind_port, "LocalBindPort", Hcl::attr, "local_bind_port"),
      field(&ConsulUpstream::datacenter, "Datacenter", Hcl::attr, "datacenter"),
      field(&ConsulUpstream::local_bind_address, "LocalBindAddress", Hcl::attr, "local_bind_address"),
      field(&ConsulUpstream::local_bind_socket_path, "LocalBindSocketPath", Hcl::attr, "local_bind_socket_path"),
      field(&ConsulUpstream::local_bind_socket_mode, "LocalBindSocketMode", Hcl::attr, "local_bind_socket_mode"),
      field(&ConsulUpstream::mesh_gateway, "MeshGateway", Hcl::block, "mesh_gateway"),
      field(&ConsulUpstream::config, "Config", Hcl::block, "config")
  ));
  return d;
}

template <>
const StructDesc<ConsulTransparentProxy>& desc<ConsulTransparentProxy>() {
  static const StructDesc<ConsulTransparentProxy> d("ConsulTransparentProxy", field_list<ConsulTransparentProxy>(
      field(&ConsulTransparentProxy::uid, "UID", Hcl::attr, "uid"),
      field(&ConsulTransparentProxy::outbound_port, "OutboundPort", Hcl::attr, "outbound_port", IntRange::uint16),
      field(&ConsulTransparentProxy::exclude_inbound_ports, "ExcludeInboundPorts", Hcl::attr, "exclude_inbound_ports"),
      field(&ConsulTransparentProxy::exclude_outbound_ports, "ExcludeOutboundPorts", Hcl::attr, "exclude_outbound_ports", IntRange::uint16),
      field(&ConsulTransparentProxy::exclude_outbound_cidrs, "ExcludeOutboundCIDRs", Hcl::attr, "exclude_outbound_cidrs"),
      field(&ConsulTransparentProxy::exclude_uids, "ExcludeUIDs", Hcl::attr, "exclude_uids"),
      field(&ConsulTransparentProxy::no_dns, "NoDNS", Hcl::attr, "no_dns")
  ));
  return d;
}

template <>
const StructDesc<ConsulProxy>& desc<ConsulProxy>() {
  static const StructDesc<ConsulProxy> d("ConsulProxy", field_list<ConsulProxy>(
      field(&ConsulProxy::local_service_address, "LocalServiceAddress", Hcl::attr, "local_service_address"),
      field(&ConsulProxy::local_service_port, "LocalServicePort", Hcl::attr, "local_service_port"),
      field(&ConsulProxy::expose, "Expose", Hcl::block, "expose"),
      field(&ConsulProxy::expose_config, "ExposeConfig", Hcl::none, ""),
      field(&ConsulProxy::upstreams, "Upstreams", Hcl::block, "upstreams"),
      field(&ConsulProxy::transparent_proxy, "TransparentProxy", Hcl::block, "transparent_proxy"),
      field(&ConsulProxy::config, "Config", Hcl::block, "config")
  ));
  return d;
}

template <>
const StructDesc<ConsulSidecarService>& desc<ConsulSidecarService>() {
  static const StructDesc<ConsulSidecarService> d("ConsulSidecarService", field_list<ConsulSidecarService>(
      field(&ConsulSidecarService::tags, "Tags", Hcl::attr, "tags"),
      field(&ConsulSidecarService::port, "Port", Hcl::attr, "port"),
      field(&ConsulSidecarService::proxy, "Proxy", Hcl::block, "proxy"),
      field(&ConsulSidecarService::disable_default_tcp_check, "DisableDefaultTCPCheck", Hcl::attr, "disable_default_tcp_check"),
      field(&ConsulSidecarService::meta, "Meta", Hcl::block, "meta")
  ));
  return d;
}

template <>
const StructDesc<LogConfig>& desc<LogConfig>() {
  static const StructDesc<LogConfig> d("LogConfig", field_list<LogConfig>(
      field(&LogConfig::max_files, "MaxFiles", Hcl::attr, "max_files"),
      field(&LogConfig::max_file_size_mb, "MaxFileSizeMB", Hcl::attr, "max_file_size"),
      field(&LogConfig::enabled, "Enabled", Hcl::attr, "enabled"),
      field(&LogConfig::disabled, "Disabled", Hcl::attr, "disabled")
  ));
  return d;
}

template <>
const StructDesc<SidecarTask>& desc<SidecarTask>() {
  static const StructDesc<SidecarTask> d("SidecarTask", field_list<SidecarTask>(
      field(&SidecarTask::name, "Name", Hcl::attr, "name"),
      field(&SidecarTask::driver, "Driver", Hcl::attr, "driver"),
      field(&SidecarTask::user, "User", Hcl::attr, "user"),
      field(&SidecarTask::config, "Config", Hcl::block, "config"),
      field(&SidecarTask::env, "Env", Hcl::block, "env"),
      field(&SidecarTask::resources, "Resources", Hcl::block, "resources"),
      field(&SidecarTask::meta, "Meta", Hcl::block, "meta"),
      field(&SidecarTask::kill_timeout, "KillTimeout", Hcl::attr, "kill_timeout"),
      field(&SidecarTask::log_config, "LogConfig", Hcl::block, "logs"),
      field(&SidecarTask::shutdown_delay, "ShutdownDelay", Hcl::attr, "shutdown_delay"),
      field(&SidecarTask::kill_signal, "KillSignal", Hcl::attr, "kill_signal")
  ));
  return d;
}

template <>
const StructDesc<ConsulGatewayBindAddress>& desc<ConsulGatewayBindAddress>() {
  static const StructDesc<ConsulGatewayBindAddress> d("ConsulGatewayBindAddress", field_list<ConsulGatewayBindAddress>(
      field(&ConsulGatewayBindAddress::name, "Name", Hcl::label, ""),
      field(&ConsulGatewayBindAddress::address, "Address", Hcl::attr, "address"),
      field(&ConsulGatewayBindAddress::port, "Port", Hcl::attr, "port")
  ));
  return d;
}

template <>
const StructDesc<ConsulGatewayProxy>& desc<ConsulGatewayProxy>() {
  static const StructDesc<ConsulGatewayProxy> d("ConsulGatewayProxy", field_list<ConsulGatewayProxy>(
      field(&ConsulGatewayProxy::connect_timeout, "ConnectTimeout", Hcl::attr, "connect_timeout"),
      field(&ConsulGatewayProxy::envoy_gateway_bind_tagged_addresses, "EnvoyGatewayBindTaggedAddresses", Hcl::attr, "envoy_gateway_bind_tagged_addresses"),
      field(&ConsulGatewayProxy::envoy_gateway_bind_addresses, "EnvoyGatewayBindAddresses", Hcl::block, "envoy_gateway_bind_addresses"),
      field(&ConsulGatewayProxy::envoy_gateway_no_default_bind, "EnvoyGatewayNoDefaultBind", Hcl::attr, "envoy_gateway_no_default_bind"),
      field(&ConsulGatewayProxy::envoy_dns_discovery_type, "EnvoyDNSDiscoveryType", Hcl::attr, "envoy_dns_discovery_type"),
      field(&ConsulGatewayProxy::config, "Config", Hcl::block, "config")
  ));
  return d;
}

template <>
const StructDesc<ConsulGatewayTLSSDSConfig>& desc<ConsulGatewayTLSSDSConfig>() {
  static const StructDesc<ConsulGatewayTLSSDSConfig> d("ConsulGatewayTLSSDSConfig", field_list<ConsulGatewayTLSSDSConfig>(
      field(&ConsulGatewayTLSSDSConfig::cluster_name, "ClusterName", Hcl::attr, "cluster_name"),
      field(&ConsulGatewayTLSSDSConfig::cert_resource, "CertResource", Hcl::attr, "cert_resource")
  ));
  return d;
}

template <>
const StructDesc<ConsulGatewayTLSConfig>& desc<ConsulGatewayTLSConfig>() {
  static const StructDesc<ConsulGatewayTLSConfig> d("ConsulGatewayTLSConfig", field_list<ConsulGatewayTLSConfig>(
      field(&ConsulGatewayTLSConfig::enabled, "Enabled", Hcl::attr, "enabled"),
      field(&ConsulGatewayTLSConfig::tls_min_version, "TLSMinVersion", Hcl::attr, "tls_min_version"),
      field(&ConsulGatewayTLSConfig::tls_max_version, "TLSMaxVersion", Hcl::attr, "tls_max_version"),
      field(&ConsulGatewayTLSConfig::cipher_suites, "CipherSuites", Hcl::attr, "cipher_suites"),
      field(&ConsulGatewayTLSConfig::sds, "SDS", Hcl::block, "sds")
  ));
  return d;
}

template <>
const StructDesc<ConsulHTTPHeaderModifiers>& desc<ConsulHTTPHeaderModifiers>() {
  static const StructDesc<ConsulHTTPHeaderModifiers> d("ConsulHTTPHeaderModifiers", field_list<ConsulHTTPHeaderModifiers>(
      field(&ConsulHTTPHeaderModifiers::add, "Add", Hcl::block, "add"),
      field(&ConsulHTTPHeaderModifiers::set, "Set", Hcl::block, "set"),
      field(&ConsulHTTPHeaderModifiers::remove, "Remove", Hcl::attr, "remove")
  ));
  return d;
}

template <>
const StructDesc<ConsulIngressService>& desc<ConsulIngressService>() {
  static const StructDesc<ConsulIngressService> d("ConsulIngressService", field_list<ConsulIngressService>(
      field(&ConsulIngressService::name, "Name", Hcl::attr, "name"),
      field(&ConsulIngressService::hosts, "Hosts", Hcl::attr, "hosts"),
      field(&ConsulIngressService::tls, "TLS", Hcl::block, "tls"),
      field(&ConsulIngressService::request_headers, "RequestHeaders", Hcl::block, "request_headers"),
      field(&ConsulIngressService::response_headers, "ResponseHeaders", Hcl::block, "response_headers"),
      field(&ConsulIngressService::max_connections, "MaxConnections", Hcl::attr, "max_connections", IntRange::uint32),
      field(&ConsulIngressService::max_pending_requests, "MaxPendingRequests", Hcl::attr, "max_pending_requests", IntRange::uint32),
      field(&ConsulIngressService::max_concurrent_requests, "MaxConcurrentRequests", Hcl::attr, "max_concurrent_requests", IntRange::uint32)
  ));
  return d;
}

template <>
const StructDesc<ConsulIngressListener>& desc<ConsulIngressListener>() {
  static const StructDesc<ConsulIngressListener> d("ConsulIngressListener", field_list<ConsulIngressListener>(
      field(&ConsulIngressListener::port, "Port", Hcl::attr, "port"),
      field(&ConsulIngressListener::protocol, "Protocol", Hcl::attr, "protocol"),
      field(&ConsulIngressListener::services, "Services", Hcl::block, "service")
  ));
  return d;
}

template <>
const StructDesc<ConsulIngressConfigEntry>& desc<ConsulIngressConfigEntry>() {
  static const StructDesc<ConsulIngressConfigEntry> d("ConsulIngressConfigEntry", field_list<ConsulIngressConfigEntry>(
      field(&ConsulIngressConfigEntry::tls, "TLS", Hcl::block, "tls"),
      field(&ConsulIngressConfigEntry::listeners, "Listeners", Hcl::block, "listener")
  ));
  return d;
}

template <>
const StructDesc<ConsulLinkedService>& desc<ConsulLinkedService>() {
  static const StructDesc<ConsulLinkedService> d("ConsulLinkedService", field_list<ConsulLinkedService>(
      field(&ConsulLinkedService::name, "Name", Hcl::attr, "name"),
      field(&ConsulLinkedService::ca_file, "CAFile", Hcl::attr, "ca_file"),
      field(&ConsulLinkedService::cert_file, "CertFile", Hcl::attr, "cert_file"),
      field(&ConsulLinkedService::key_file, "KeyFile", Hcl::attr, "key_file"),
      field(&ConsulLinkedService::sni, "SNI", Hcl::attr, "sni")
  ));
  return d;
}

template <>
const StructDesc<ConsulTerminatingConfigEntry>& desc<ConsulTerminatingConfigEntry>() {
  static const StructDesc<ConsulTerminatingConfigEntry> d("ConsulTerminatingConfigEntry", field_list<ConsulTerminatingConfigEntry>(
      field(&ConsulTerminatingConfigEntry::services, "Services", Hcl::block, "service")
  ));
  return d;
}

template <>
const StructDesc<ConsulMeshConfigEntry>& desc<ConsulMeshConfigEntry>() {
  static const StructDesc<ConsulMeshConfigEntry> d("ConsulMeshConfigEntry", field_list<ConsulMeshConfigEntry>(
  ));
  return d;
}

template <>
const StructDesc<ConsulGateway>& desc<ConsulGateway>() {
  static const StructDesc<ConsulGateway> d("ConsulGateway", field_list<ConsulGateway>(
      field(&ConsulGateway::proxy, "Proxy", Hcl::block, "proxy"),
      field(&ConsulGateway::ingress, "Ingress", Hcl::block, "ingress"),
      field(&ConsulGateway::terminating, "Terminating", Hcl::block, "terminating"),
      field(&ConsulGateway::mesh, "Mesh", Hcl::block, "mesh")
  ));
  return d;
}

template <>
const StructDesc<ConsulConnect>& desc<ConsulConnect>() {
  static const StructDesc<ConsulConnect> d("ConsulConnect", field_list<ConsulConnect>(
      field(&ConsulConnect::native, "Native", Hcl::attr, "native"),
      field(&ConsulConnect::gateway, "Gateway", Hcl::block, "gateway"),
      field(&ConsulConnect::sidecar_service, "SidecarService", Hcl::block, "sidecar_service"),
      field(&ConsulConnect::sidecar_task, "SidecarTask", Hcl::block, "sidecar_task")
  ));
  return d;
}

template <>
const StructDesc<WorkloadIdentity>& desc<WorkloadIdentity>() {
  static const StructDesc<WorkloadIdentity> d("WorkloadIdentity", field_list<WorkloadIdentity>(
      field(&WorkloadIdentity::name, "Name", Hcl::attr, "name"),
      field(&WorkloadIdentity::audience, "Audience", Hcl::attr, "aud"),
      field(&WorkloadIdentity::change_mode, "ChangeMode", Hcl::attr, "change_mode"),
      field(&WorkloadIdentity::change_signal, "ChangeSignal", Hcl::attr, "change_signal"),
      field(&WorkloadIdentity::env, "Env", Hcl::attr, "env"),
      field(&WorkloadIdentity::file, "File", Hcl::attr, "file"),
      field(&WorkloadIdentity::filepath, "Filepath", Hcl::attr, "filepath"),
      field(&WorkloadIdentity::service_name, "ServiceName", Hcl::attr, "service_name"),
      field(&WorkloadIdentity::ttl, "TTL", Hcl::attr, "ttl")
  ));
  return d;
}

template <>
const StructDesc<Service>& desc<Service>() {
  static const StructDesc<Service> d("Service", field_list<Service>(
      field(&Service::name, "Name", Hcl::attr, "name"),
      field(&Service::tags, "Tags", Hcl::attr, "tags"),
      field(&Service::canary_tags, "CanaryTags", Hcl::attr, "canary_tags"),
      field(&Service::enable_tag_override, "EnableTagOverride", Hcl::attr, "enable_tag_override"),
      field(&Service::port_label, "PortLabel", Hcl::attr, "port"),
      field(&Service::address_mode, "AddressMode", Hcl::attr, "address_mode"),
      field(&Service::address, "Address", Hcl::attr, "address"),
      field(&Service::checks, "Checks", Hcl::block, "check"),
      field(&Service::check_restart, "CheckRestart", Hcl::block, "check_restart"),
      field(&Service::connect, "Connect", Hcl::block, "connect"),
      field(&Service::meta, "Meta", Hcl::block, "meta"),
      field(&Service::canary_meta, "CanaryMeta", Hcl::block, "canary_meta"),
      field(&Service::tagged_addresses, "TaggedAddresses", Hcl::block, "tagged_addresses"),
      field(&Service::task_name, "TaskName", Hcl::attr, "task"),
      field(&Service::on_update, "OnUpdate", Hcl::attr, "on_update"),
      field(&Service::identity, "Identity", Hcl::block, "identity"),
      field(&Service::weights, "Weights", Hcl::block, "weights"),
      field(&Service::provider, "Provider", Hcl::attr, "provider"),
      field(&Service::cluster, "Cluster", Hcl::attr, "cluster"),
      field(&Service::kind, "Kind", Hcl::attr, "kind")
  ));
  return d;
}

template <>
const StructDesc<TaskLifecycle>& desc<TaskLifecycle>() {
  static const StructDesc<TaskLifecycle> d("TaskLifecycle", field_list<TaskLifecycle>(
      field(&TaskLifecycle::hook, "Hook", Hcl::required, "hook"),
      field(&TaskLifecycle::sidecar, "Sidecar", Hcl::attr, "sidecar")
  ));
  return d;
}

template <>
const StructDesc<TaskArtifact>& desc<TaskArtifact>() {
  static const StructDesc<TaskArtifact> d("TaskArtifact", field_list<TaskArtifact>(
      field(&TaskArtifact::getter_source, "GetterSource", Hcl::attr, "source"),
      field(&TaskArtifact::getter_options, "GetterOptions", Hcl::block, "options"),
      field(&TaskArtifact::getter_headers, "GetterHeaders", Hcl::block, "headers"),
      field(&TaskArtifact::getter_mode, "GetterMode", Hcl::attr, "mode"),
      field(&TaskArtifact::getter_insecure, "GetterInsecure", Hcl::attr, "insecure"),
      field(&TaskArtifact::relative_dest, "RelativeDest", Hcl::attr, "destination"),
      field(&TaskArtifact::chown, "Chown", Hcl::attr, "chown")
  ));
  return d;
}

template <>
const StructDesc<WaitConfig>& desc<WaitConfig>() {
  static const StructDesc<WaitConfig> d("WaitConfig", field_list<WaitConfig>(
      field(&WaitConfig::min, "Min", Hcl::required, "min"),
      field(&WaitConfig::max, "Max", Hcl::required, "max")
  ));
  return d;
}

template <>
const StructDesc<ChangeScript>& desc<ChangeScript>() {
  static const StructDesc<ChangeScript> d("ChangeScript", field_list<ChangeScript>(
      field(&ChangeScript::command, "Command", Hcl::required, "command"),
      field(&ChangeScript::args, "Args", Hcl::attr, "args"),
      field(&ChangeScript::timeout, "Timeout", Hcl::attr, "timeout"),
      field(&ChangeScript::fail_on_error, "FailOnError", Hcl::required, "fail_on_error")
  ));
  return d;
}

template <>
const StructDesc<Template>& desc<Template>() {
  static const StructDesc<Template> d("Template", field_list<Template>(
      field(&Template::source_path, "SourcePath", Hcl::attr, "source"),
      field(&Template::dest_path, "DestPath", Hcl::attr, "destination"),
      field(&Template::embedded_tmpl, "EmbeddedTmpl", Hcl::attr, "data"),
      field(&Template::change_mode, "ChangeMode", Hcl::attr, "change_mode"),
      field(&Template::change_script, "ChangeScript", Hcl::block, "change_script"),
      field(&Template::change_signal, "ChangeSignal", Hcl::attr, "change_signal"),
      field(&Template::once, "Once", Hcl::attr, "once"),
      field(&Template::splay, "Splay", Hcl::attr, "splay"),
      field(&Template::perms, "Perms", Hcl::attr, "perms"),
      field(&Template::uid, "Uid", Hcl::attr, "uid"),
      field(&Template::gid, "Gid", Hcl::attr, "gid"),
      field(&Template::left_delim, "LeftDelim", Hcl::attr, "left_delimiter"),
      field(&Template::right_delim, "RightDelim", Hcl::attr, "right_delimiter"),
      field(&Template::envvars, "Envvars", Hcl::attr, "env"),
      field(&Template::vault_grace, "VaultGrace", Hcl::attr, "vault_grace"),
      field(&Template::wait, "Wait", Hcl::block, "wait"),
      field(&Template::err_missing_key, "ErrMissingKey", Hcl::attr, "error_on_missing_key")
  ));
  return d;
}

template <>
const StructDesc<Vault>& desc<Vault>() {
  static const StructDesc<Vault> d("Vault", field_list<Vault>(
      field(&Vault::policies, "Policies", Hcl::attr, "policies"),
      field(&Vault::role, "Role", Hcl::attr, "role"),
      field(&Vault::namespace_, "Namespace", Hcl::attr, "namespace"),
      field(&Vault::cluster, "Cluster", Hcl::attr, "cluster"),
      field(&Vault::env, "Env", Hcl::attr, "env"),
      field(&Vault::disable_file, "DisableFile", Hcl::attr, "disable_file"),
      field(&Vault::change_mode, "ChangeMode", Hcl::attr, "change_mode"),
      field(&Vault::change_signal, "ChangeSignal", Hcl::attr, "change_signal"),
      field(&Vault::allow_token_expiration, "AllowTokenExpiration", Hcl::attr, "allow_token_expiration")
  ));
  return d;
}

template <>
const StructDesc<Secret>& desc<Secret>() {
  static const StructDesc<Secret> d("Secret", field_list<Secret>(
      field(&Secret::name, "Name", Hcl::label, ""),
      field(&Secret::provider, "Provider", Hcl::attr, "provider"),
      field(&Secret::path, "Path", Hcl::attr, "path"),
      field(&Secret::config, "Config", Hcl::block, "config"),
      field(&Secret::env, "Env", Hcl::block, "env")
  ));
  return d;
}

template <>
const StructDesc<DispatchPayloadConfig>& desc<DispatchPayloadConfig>() {
  static const StructDesc<DispatchPayloadConfig> d("DispatchPayloadConfig", field_list<DispatchPayloadConfig>(
      field(&DispatchPayloadConfig::file, "File", Hcl::attr, "file")
  ));
  return d;
}

template <>
const StructDesc<TaskCSIPluginConfig>& desc<TaskCSIPluginConfig>() {
  static const StructDesc<TaskCSIPluginConfig> d("TaskCSIPluginConfig", field_list<TaskCSIPluginConfig>(
      field(&TaskCSIPluginConfig::id, "ID", Hcl::attr, "id"),
      field(&TaskCSIPluginConfig::type, "Type", Hcl::attr, "type"),
      field(&TaskCSIPluginConfig::mount_dir, "MountDir", Hcl::attr, "mount_dir"),
      field(&TaskCSIPluginConfig::stage_publish_base_dir, "StagePublishBaseDir", Hcl::attr, "stage_publish_base_dir"),
      field(&TaskCSIPluginConfig::health_timeout, "HealthTimeout", Hcl::attr, "health_timeout")
  ));
  return d;
}

template <>
const StructDesc<Action>& desc<Action>() {
  static const StructDesc<Action> d("Action", field_list<Action>(
      field(&Action::name, "Name", Hcl::label, ""),
      field(&Action::command, "Command", Hcl::required, "command"),
      field(&Action::args, "Args", Hcl::attr, "args")
  ));
  return d;
}

template <>
const StructDesc<TaskScheduleCron>& desc<TaskScheduleCron>() {
  static const StructDesc<TaskScheduleCron> d("TaskScheduleCron", field_list<TaskScheduleCron>(
      field(&TaskScheduleCron::start, "Start", Hcl::attr, "start"),
      field(&TaskScheduleCron::end, "End", Hcl::attr, "end"),
      field(&TaskScheduleCron::timezone, "Timezone", Hcl::attr, "timezone")
  ));
  return d;
}

template <>
const StructDesc<TaskSchedule>& desc<TaskSchedule>() {
  static const StructDesc<TaskSchedule> d("TaskSchedule", field_list<TaskSchedule>(
      field(&TaskSchedule::cron, "Cron", Hcl::block, "cron")
  ));
  return d;
}

template <>
const StructDesc<Task>& desc<Task>() {
  static const StructDesc<Task> d("Task", field_list<Task>(
      field(&Task::name, "Name", Hcl::label, ""),
      field(&Task::driver, "Driver", Hcl::attr, "driver"),
      field(&Task::user, "User", Hcl::attr, "user"),
      field(&Task::lifecycle, "Lifecycle", Hcl::block, "lifecycle"),
      field(&Task::config, "Config", Hcl::block, "config"),
      field(&Task::constraints, "Constraints", Hcl::block, "constraint"),
      field(&Task::affinities, "Affinities", Hcl::block, "affinity"),
      field(&Task::env, "Env", Hcl::block_or_attr, "env"),
      field(&Task::services, "Services", Hcl::block, "service"),
      field(&Task::resources, "Resources", Hcl::block, "resources"),
      field(&Task::restart_policy, "RestartPolicy", Hcl::block, "restart"),
      field(&Task::meta, "Meta", Hcl::block_or_attr, "meta"),
      field(&Task::kill_timeout, "KillTimeout", Hcl::attr, "kill_timeout"),
      field(&Task::log_config, "LogConfig", Hcl::block, "logs"),
      field(&Task::artifacts, "Artifacts", Hcl::block, "artifact"),
      field(&Task::vault, "Vault", Hcl::block, "vault"),
      field(&Task::consul, "Consul", Hcl::block, "consul"),
      field(&Task::templates, "Templates", Hcl::block, "template"),
      field(&Task::dispatch_payload, "DispatchPayload", Hcl::block, "dispatch_payload"),
      field(&Task::volume_mounts, "VolumeMounts", Hcl::block, "volume_mount"),
      field(&Task::csi_plugin_config, "CSIPluginConfig", Hcl::block, "csi_plugin", kOmitEmpty),
      field(&Task::leader, "Leader", Hcl::attr, "leader"),
      field(&Task::shutdown_delay, "ShutdownDelay", Hcl::attr, "shutdown_delay"),
      field(&Task::kill_signal, "KillSignal", Hcl::attr, "kill_signal"),
      field(&Task::kind, "Kind", Hcl::attr, "kind"),
      field(&Task::scaling_policies, "ScalingPolicies", Hcl::custom, "scaling"),
      field(&Task::secrets, "Secrets", Hcl::block, "secret"),
      field(&Task::identity, "Identity", Hcl::none, ""),
      field(&Task::identities, "Identities", Hcl::block, "identity"),
      field(&Task::actions, "Actions", Hcl::block, "action"),
      field(&Task::schedule, "Schedule", Hcl::block, "schedule")
  ));
  return d;
}

template <>
const StructDesc<TaskGroup>& desc<TaskGroup>() {
  static const StructDesc<TaskGroup> d("TaskGroup", field_list<TaskGroup>(
      field(&TaskGroup::name, "Name", Hcl::label, ""),
      field(&TaskGroup::count, "Count", Hcl::attr, "count"),
      field(&TaskGroup::constraints, "Constraints", Hcl::block, "constraint"),
      field(&TaskGroup::affinities, "Affinities", Hcl::block, "affinity"),
      field(&TaskGroup::tasks, "Tasks", Hcl::block, "task"),
      field(&TaskGroup::spreads, "Spreads", Hcl::block, "spread"),
      field(&TaskGroup::volumes, "Volumes", Hcl::block, "volume"),
      field(&TaskGroup::restart_policy, "RestartPolicy", Hcl::block, "restart"),
      field(&TaskGroup::disconnect, "Disconnect", Hcl::block, "disconnect"),
      field(&TaskGroup::reschedule_policy, "ReschedulePolicy", Hcl::block, "reschedule"),
      field(&TaskGroup::ephemeral_disk, "EphemeralDisk", Hcl::block, "ephemeral_disk"),
      field(&TaskGroup::update, "Update", Hcl::block, "update"),
      field(&TaskGroup::migrate, "Migrate", Hcl::block, "migrate"),
      field(&TaskGroup::networks, "Networks", Hcl::block, "network"),
      field(&TaskGroup::meta, "Meta", Hcl::block_or_attr, "meta"),
      field(&TaskGroup::services, "Services", Hcl::block, "service"),
      field(&TaskGroup::shutdown_delay, "ShutdownDelay", Hcl::attr, "shutdown_delay"),
      field(&TaskGroup::stop_after_client_disconnect, "StopAfterClientDisconnect", Hcl::attr, "stop_after_client_disconnect"),
      field(&TaskGroup::max_client_disconnect, "MaxClientDisconnect", Hcl::attr, "max_client_disconnect"),
      field(&TaskGroup::scaling, "Scaling", Hcl::block, "scaling"),
      field(&TaskGroup::consul, "Consul", Hcl::block, "consul"),
      field(&TaskGroup::prevent_reschedule_on_lost, "PreventRescheduleOnLost", Hcl::attr, "prevent_reschedule_on_lost")
  ));
  return d;
}

template <>
const StructDesc<Job>& desc<Job>() {
  static const StructDesc<Job> d("Job", field_list<Job>(
      field(&Job::region, "Region", Hcl::attr, "region"),
      field(&Job::namespace_, "Namespace", Hcl::attr, "namespace"),
      field(&Job::id, "ID", Hcl::attr, "id"),
      field(&Job::name, "Name", Hcl::attr, "name"),
      field(&Job::type, "Type", Hcl::attr, "type"),
      field(&Job::priority, "Priority", Hcl::attr, "priority"),
      field(&Job::all_at_once, "AllAtOnce", Hcl::attr, "all_at_once"),
      field(&Job::datacenters, "Datacenters", Hcl::attr, "datacenters"),
      field(&Job::node_pool, "NodePool", Hcl::attr, "node_pool"),
      field(&Job::constraints, "Constraints", Hcl::block, "constraint"),
      field(&Job::affinities, "Affinities", Hcl::block, "affinity"),
      field(&Job::task_groups, "TaskGroups", Hcl::block, "group"),
      field(&Job::group_selections, "GroupSelections", Hcl::block, "group_selection", kOmitEmpty),
      field(&Job::update, "Update", Hcl::block, "update"),
      field(&Job::multiregion, "Multiregion", Hcl::block, "multiregion"),
      field(&Job::spreads, "Spreads", Hcl::block, "spread"),
      field(&Job::periodic, "Periodic", Hcl::block, "periodic"),
      field(&Job::parameterized_job, "ParameterizedJob", Hcl::block, "parameterized"),
      field(&Job::reschedule, "Reschedule", Hcl::block, "reschedule"),
      field(&Job::migrate, "Migrate", Hcl::block, "migrate"),
      field(&Job::meta, "Meta", Hcl::block_or_attr, "meta"),
      field(&Job::ui, "UI", Hcl::block, "ui"),
      field(&Job::stop, "Stop", Hcl::none, ""),
      field(&Job::parent_id, "ParentID", Hcl::none, ""),
      field(&Job::dispatched, "Dispatched", Hcl::none, ""),
      field(&Job::dispatch_idempotency_token, "DispatchIdempotencyToken", Hcl::none, ""),
      field(&Job::payload, "Payload", Hcl::none, ""),
      field(&Job::consul_namespace, "ConsulNamespace", Hcl::none, ""),
      field(&Job::vault_namespace, "VaultNamespace", Hcl::none, ""),
      field(&Job::nomad_token_id, "NomadTokenID", Hcl::none, ""),
      field(&Job::status, "Status", Hcl::none, ""),
      field(&Job::status_description, "StatusDescription", Hcl::none, ""),
      field(&Job::stable, "Stable", Hcl::none, ""),
      field(&Job::version, "Version", Hcl::none, "", IntRange::uint64),
      field(&Job::submit_time, "SubmitTime", Hcl::none, ""),
      field(&Job::create_index, "CreateIndex", Hcl::none, "", IntRange::uint64),
      field(&Job::modify_index, "ModifyIndex", Hcl::none, "", IntRange::uint64),
      field(&Job::job_modify_index, "JobModifyIndex", Hcl::none, "", IntRange::uint64),
      field(&Job::version_tag, "VersionTag", Hcl::none, "")
  ));
  return d;
}

// clang-format on

}  // namespace warden::job::detail
