// core/v1 shapes: Pod (complete), Namespace, Node, ConfigMap, Secret, Service, ServiceAccount, Event, Endpoints, Binding.
// Format: see api/schema/declarations.h. Facts (names, types, merge keys, list types,
// enums) follow k8s.io/api v0.36.0; descriptions are haru's own.

#include "api/types/builtin_types.h"

namespace haru::api::types {

std::string_view CoreV1Declarations() {
  return R"decl(
package io.k8s.api.core.v1
use meta io.k8s.apimachinery.pkg.apis.meta.v1

type Pod gvk=v1/Pod "A Pod is a group of one or more containers that share storage and network and are scheduled together onto one node."
  apiVersion string
  kind       string
  metadata   meta.ObjectMeta proto=1
      "Identity and bookkeeping of the pod: name, namespace, labels, annotations, owners."
  spec       PodSpec proto=2
      "What the pod should run and how: containers, volumes, scheduling constraints and security settings."
  status     PodStatus proto=3
      "What the node and the control plane last observed about the pod. Written by the system; read-only for users."

type PodList gvk=v1/PodList "A list of pods."
  apiVersion string
  kind       string
  metadata   meta.ListMeta proto=1
  items      []Pod proto=2         required

type Namespace gvk=v1/Namespace "A Namespace scopes names and policies of the objects inside it."
  apiVersion string
  kind       string
  metadata   meta.ObjectMeta proto=1
  spec       NamespaceSpec proto=2
  status     NamespaceStatus proto=3

type NamespaceList gvk=v1/NamespaceList
  apiVersion string
  kind       string
  metadata   meta.ListMeta proto=1
  items      []Namespace proto=2   required

type Node gvk=v1/Node "A Node is a worker machine that runs pods."
  apiVersion string
  kind       string
  metadata   meta.ObjectMeta proto=1
  spec       NodeSpec proto=2
  status     NodeStatus proto=3

type NodeList gvk=v1/NodeList
  apiVersion string
  kind       string
  metadata   meta.ListMeta proto=1
  items      []Node proto=2        required

type ConfigMap gvk=v1/ConfigMap "A ConfigMap holds configuration data as key-value pairs for pods to consume."
  apiVersion string
  kind       string
  metadata   meta.ObjectMeta proto=1
  immutable  bool proto=4 "When true, data and binaryData can no longer be changed."
  data       map[string]string proto=2 "UTF-8 configuration values by key."
  binaryData map[string]bytes proto=3 "Binary configuration values by key, base64-encoded in JSON."

type ConfigMapList gvk=v1/ConfigMapList
  apiVersion string
  kind       string
  metadata   meta.ListMeta proto=1
  items      []ConfigMap proto=2   required

type Secret gvk=v1/Secret "A Secret holds a small amount of sensitive data such as a password, token or key."
  apiVersion string
  kind       string
  metadata   meta.ObjectMeta proto=1
  immutable  bool proto=5 "When true, data can no longer be changed."
  data       map[string]bytes proto=2 "Secret values by key, base64-encoded in JSON."
  stringData map[string]string proto=4 "Write-only convenience: plain-text values merged into data on write."
  type       string proto=3 "The kind of secret, used to validate its keys (e.g. Opaque, kubernetes.io/tls)."

type SecretList gvk=v1/SecretList
  apiVersion string
  kind       string
  metadata   meta.ListMeta proto=1
  items      []Secret proto=2      required

type Service gvk=v1/Service "A Service exposes a set of pods under one stable name and virtual IP."
  apiVersion string
  kind       string
  metadata   meta.ObjectMeta proto=1
  spec       ServiceSpec proto=2
  status     ServiceStatus proto=3

type ServiceList gvk=v1/ServiceList
  apiVersion string
  kind       string
  metadata   meta.ListMeta proto=1
  items      []Service proto=2     required

type ServiceAccount gvk=v1/ServiceAccount "A ServiceAccount is an identity for processes running in pods."
  apiVersion                   string proto=2.5
  kind                         string proto=2.1
  metadata                     meta.ObjectMeta proto=1
  secrets                      []ObjectReference proto=2      merge=name strategy=merge listType=map keys=name
  imagePullSecrets             []LocalObjectReference proto=3 listType=atomic
  automountServiceAccountToken bool proto=4

type ServiceAccountList gvk=v1/ServiceAccountList
  apiVersion string
  kind       string
  metadata   meta.ListMeta proto=1
  items      []ServiceAccount proto=2 required

type Event gvk=v1/Event "A report of something that happened in the cluster (core/v1 form)."
  apiVersion         string proto=2.5
  kind               string proto=2.1
  metadata           meta.ObjectMeta proto=1 required
  involvedObject     ObjectReference proto=2 required
  reason             string proto=3
  message            string proto=4
  source             EventSource proto=5
  firstTimestamp     time proto=6
  lastTimestamp      time proto=7
  count              int32 proto=8
  type               string proto=9
  eventTime          microtime proto=10
  series             EventSeries proto=11
  action             string proto=12
  related            ObjectReference proto=13
  reportingComponent string proto=14
  reportingInstance  string proto=15

type EventList gvk=v1/EventList
  apiVersion string
  kind       string
  metadata   meta.ListMeta proto=1
  items      []Event proto=2       required

type Endpoints gvk=v1/Endpoints "The network endpoints that implement a service."
  apiVersion string
  kind       string
  metadata   meta.ObjectMeta proto=1
  subsets    []EndpointSubset proto=2 listType=atomic

type EndpointsList gvk=v1/EndpointsList
  apiVersion string
  kind       string
  metadata   meta.ListMeta proto=1
  items      []Endpoints proto=2   required

type Binding gvk=v1/Binding "Binds a pod to a node; posted to pods/binding by the scheduler."
  apiVersion string proto=2.5
  kind       string proto=2.1
  metadata   meta.ObjectMeta proto=1
  target     ObjectReference proto=2 required

type PodTemplateSpec "The pod a controller creates: its metadata and spec."
  metadata meta.ObjectMeta proto=1 "Labels and annotations of the pods made from the template."
  spec     PodSpec proto=2 "The spec of the pods made from the template."

type ObjectReference "A reference to an object."
  kind            string proto=1
  namespace       string proto=2
  name            string proto=3
  uid             string proto=4
  apiVersion      string proto=5
  resourceVersion string proto=6
  fieldPath       string proto=7

type EventSource
  component string proto=1
  host      string proto=2

type PodSpec "The desired state of a pod."
  volumes                       []Volume proto=1                   merge=name strategy=merge,retainKeys listType=map keys=name
      "Volumes the containers of this pod can mount, each with a unique name."
  initContainers                []Container proto=20                merge=name strategy=merge listType=map keys=name
      "Containers that run to completion one after another before the regular containers start. An init container with restartPolicy Always runs as a sidecar for the lifetime of the pod. Cannot be changed after creation."
  containers                    []Container proto=2                required merge=name strategy=merge listType=map keys=name
      "The application containers of the pod. At least one is required; cannot be added or removed after creation."
  ephemeralContainers           []EphemeralContainer proto=34       merge=name strategy=merge listType=map keys=name
      "Short-lived debugging containers added to a running pod through the ephemeralcontainers subresource. They are never restarted."
  restartPolicy                 string proto=3                     enum=Always|OnFailure|Never
      "When the kubelet restarts containers of this pod that exit: Always (default), OnFailure or Never."
  terminationGracePeriodSeconds int64 proto=4
      "Seconds the pod gets to stop after a termination signal before its processes are killed. Defaults to 30; 0 means kill at once."
  activeDeadlineSeconds         int64 proto=5
      "Seconds the pod may be active, counted from its start time, before the system marks it failed and stops its containers. Must be positive."
  dnsPolicy                     string proto=6                     enum=ClusterFirstWithHostNet|ClusterFirst|Default|None
      "How DNS is configured for the pod: ClusterFirst (default), ClusterFirstWithHostNet, Default or None (then dnsConfig supplies everything)."
  nodeSelector                  map[string]string proto=7
      "Labels a node must carry for this pod to be scheduled onto it."
  serviceAccountName            string proto=8
      "The service account whose identity the pod runs with. Defaults to \"default\"."
  serviceAccount                string proto=9 "Deprecated alias of serviceAccountName."
  automountServiceAccountToken  bool proto=21
      "Whether a service account token is mounted into the containers automatically."
  nodeName                      string proto=10
      "The node this pod is bound to. Normally set by the scheduler; setting it directly skips scheduling."
  hostNetwork                   bool proto=11
      "Run the pod in the host network namespace, using the node's addresses and ports. Default false."
  hostPID                       bool proto=12 "Share the host's process ID namespace with the pod. Default false."
  hostIPC                       bool proto=13 "Share the host's IPC namespace with the pod. Default false."
  shareProcessNamespace         bool proto=27
      "Put all containers of the pod in one process namespace so they can see and signal each other's processes. Cannot be combined with hostPID. Default false."
  securityContext               PodSecurityContext proto=14
      "Security settings that apply to the whole pod, such as user and group IDs, SELinux, seccomp and AppArmor. Container settings take precedence where both are set."
  imagePullSecrets              []LocalObjectReference proto=15     merge=name strategy=merge listType=map keys=name
      "Secrets in the pod's namespace holding registry credentials used to pull the containers' images."
  hostname                      string proto=16 "The hostname of the pod. Defaults to a value derived from the pod name."
  subdomain                     string proto=17
      "When set, the pod's fully qualified name becomes <hostname>.<subdomain>.<namespace>.svc.<cluster domain>."
  affinity                      Affinity proto=18
      "Node affinity, pod affinity and pod anti-affinity rules used by the scheduler."
  schedulerName                 string proto=19
      "The scheduler responsible for placing this pod. Defaults to the default scheduler."
  tolerations                   []Toleration proto=22               listType=atomic "Node taints this pod tolerates."
  hostAliases                   []HostAlias proto=23                merge=ip strategy=merge listType=map keys=ip
      "Extra hostname-to-IP entries written into the pod's /etc/hosts."
  priorityClassName             string proto=24 "The PriorityClass that gives this pod its scheduling priority."
  priority                      int32 proto=25
      "The pod's priority value, filled in from priorityClassName by admission. Higher values are scheduled first."
  dnsConfig                     PodDNSConfig proto=26
      "Extra DNS settings (nameservers, search domains, resolver options) merged with those from dnsPolicy."
  readinessGates                []PodReadinessGate proto=28         listType=atomic
      "Additional pod conditions that must be True before the pod counts as ready."
  runtimeClassName              string proto=29
      "The RuntimeClass (container runtime configuration) used to run this pod."
  enableServiceLinks            bool proto=30
      "Whether environment variables describing services are injected into the containers. Default true."
  preemptionPolicy              string proto=31                     enum=PreemptLowerPriority|Never
      "Whether this pod may preempt lower-priority pods: PreemptLowerPriority (default) or Never."
  overhead                      map[string]quantity proto=32
      "Resources consumed by the pod sandbox itself, on top of the container requests. Set by RuntimeClass admission."
  topologySpreadConstraints     []TopologySpreadConstraint proto=33 merge=topologyKey strategy=merge listType=map keys=topologyKey,whenUnsatisfiable
      "Rules for spreading matching pods evenly across topology domains such as zones or nodes."
  setHostnameAsFQDN             bool proto=35 "Use the pod's fully qualified domain name as its hostname. Default false."
  os                            PodOS proto=36
      "The operating system the pod's containers need (linux or windows). Validation forbids settings that do not apply to that OS."
  hostUsers                     bool proto=37
      "Whether the pod uses the host's user namespace. Defaults to true. Set to false to give the pod its own user namespace, so that root inside the containers is mapped to an unprivileged user on the host; then hostNetwork, hostPID and hostIPC must be false."
  schedulingGates               []PodSchedulingGate proto=38        merge=name strategy=merge listType=map keys=name
      "Named gates that keep the pod from being scheduled until every gate is removed. Gates can only be removed after creation."
  resourceClaims                []PodResourceClaim proto=39         merge=name strategy=merge,retainKeys listType=map keys=name
      "ResourceClaims (dynamic resource allocation) this pod needs, each with a name that containers use in resources.claims. Cannot be changed after creation."
  resources                     ResourceRequirements proto=40
      "Total resource requests and limits for the whole pod, shared by its containers. Only cpu, memory and hugepages may be set."
  hostnameOverride              string proto=41
      "A hostname to use for the pod instead of the one derived from its name and subdomain. Must be a DNS subdomain."
  schedulingGroup               PodSchedulingGroup proto=43
      "The scheduling group (a PodGroup) this pod belongs to, for workload-aware scheduling."

type PodStatus "The observed state of a pod."
  observedGeneration                   int64 proto=17
  phase                                string proto=1                               enum=Pending|Running|Succeeded|Failed|Unknown
      "A summary of where the pod is in its lifecycle: Pending, Running, Succeeded, Failed or Unknown."
  conditions                           []PodCondition proto=2                       merge=type strategy=merge listType=map keys=type
      "The current service state of the pod."
  message                              string proto=3
  reason                               string proto=4
  nominatedNodeName                    string proto=11
  hostIP                               string proto=5
  hostIPs                              []HostIP proto=16                             merge=ip strategy=merge listType=atomic
  podIP                                string proto=6
  podIPs                               []PodIP proto=12                              merge=ip strategy=merge listType=map keys=ip
      "The IP addresses allocated to the pod, IPv4 and/or IPv6."
  startTime                            time proto=7
  initContainerStatuses                []ContainerStatus proto=10                    listType=atomic
  containerStatuses                    []ContainerStatus proto=8                    listType=atomic
  qosClass                             string proto=9                               enum=Guaranteed|Burstable|BestEffort
  ephemeralContainerStatuses           []ContainerStatus proto=13                    listType=atomic
  resize                               string proto=14
  resourceClaimStatuses                []PodResourceClaimStatus proto=15             merge=name strategy=merge,retainKeys listType=map keys=name
      "Names of the ResourceClaims generated for the pod's resourceClaims entries."
  extendedResourceClaimStatus          PodExtendedResourceClaimStatus proto=18
  allocatedResources                   map[string]quantity proto=19
  resources                            ResourceRequirements proto=20
  nodeAllocatableResourceClaimStatuses []NodeAllocatableResourceClaimStatus proto=21 listType=atomic

type NamespaceSpec
  finalizers []string proto=1 listType=atomic

type NamespaceStatus
  phase      string proto=1               enum=Active|Terminating
  conditions []NamespaceCondition proto=2 merge=type strategy=merge listType=map keys=type

type NodeSpec
  podCIDR       string proto=1
  podCIDRs      []string proto=7         strategy=merge listType=set
  providerID    string proto=3
  unschedulable bool proto=4
  taints        []Taint proto=5          listType=atomic
  configSource  NodeConfigSource proto=6
  externalID    string proto=2

type NodeStatus
  capacity         map[string]quantity proto=1
  allocatable      map[string]quantity proto=2
  phase            string proto=3               enum=Pending|Running|Terminated
  conditions       []NodeCondition proto=4      merge=type strategy=merge listType=map keys=type
  addresses        []NodeAddress proto=5        merge=type strategy=merge listType=map keys=type
  daemonEndpoints  NodeDaemonEndpoints proto=6
  nodeInfo         NodeSystemInfo proto=7
  images           []ContainerImage proto=8     listType=atomic
  volumesInUse     []string proto=9             listType=atomic
  volumesAttached  []AttachedVolume proto=10     listType=atomic
  config           NodeConfigStatus proto=11
  runtimeHandlers  []NodeRuntimeHandler proto=12 listType=atomic
  features         NodeFeatures proto=13
  declaredFeatures []string proto=14             listType=atomic

type ServiceSpec
  ports                         []ServicePort proto=1         merge=port strategy=merge listType=map keys=port,protocol
  selector                      map[string]string proto=2
  clusterIP                     string proto=3
  clusterIPs                    []string proto=18              listType=atomic
  type                          string proto=4                enum=ClusterIP|NodePort|LoadBalancer|ExternalName
  externalIPs                   []string proto=5              listType=atomic
      "IP addresses for which nodes also accept traffic for this service. Deprecated in v1.36."
  sessionAffinity               string proto=7                enum=ClientIP|None
  loadBalancerIP                string proto=8
  loadBalancerSourceRanges      []string proto=9              listType=atomic
  externalName                  string proto=10
  externalTrafficPolicy         string proto=11                enum=Cluster|Local
  healthCheckNodePort           int32 proto=12
  publishNotReadyAddresses      bool proto=13
  sessionAffinityConfig         SessionAffinityConfig proto=14
  ipFamilies                    []string proto=19              listType=atomic enum=IPv4|IPv6|
  ipFamilyPolicy                string proto=17                enum=SingleStack|PreferDualStack|RequireDualStack
  allocateLoadBalancerNodePorts bool proto=20
  loadBalancerClass             string proto=21
  internalTrafficPolicy         string proto=22                enum=Cluster|Local
  trafficDistribution           string proto=23

type ServiceStatus
  loadBalancer LoadBalancerStatus proto=1
  conditions   []meta.Condition proto=2   merge=type strategy=merge listType=map keys=type

type LocalObjectReference
  name string proto=1

type EventSeries
  count            int32 proto=1
  lastObservedTime microtime proto=2

type EndpointSubset
  addresses         []EndpointAddress proto=1 listType=atomic
  notReadyAddresses []EndpointAddress proto=2 listType=atomic
  ports             []EndpointPort proto=3    listType=atomic

type Volume
  name                  string proto=1                            required
  hostPath              HostPathVolumeSource proto=2.1
  emptyDir              EmptyDirVolumeSource proto=2.2
  gcePersistentDisk     GCEPersistentDiskVolumeSource proto=2.3
  awsElasticBlockStore  AWSElasticBlockStoreVolumeSource proto=2.4
  gitRepo               GitRepoVolumeSource proto=2.5
  secret                SecretVolumeSource proto=2.6
  nfs                   NFSVolumeSource proto=2.7
  iscsi                 ISCSIVolumeSource proto=2.8
  glusterfs             GlusterfsVolumeSource proto=2.9
  persistentVolumeClaim PersistentVolumeClaimVolumeSource proto=2.10
  rbd                   RBDVolumeSource proto=2.11
  flexVolume            FlexVolumeSource proto=2.12
  cinder                CinderVolumeSource proto=2.13
  cephfs                CephFSVolumeSource proto=2.14
  flocker               FlockerVolumeSource proto=2.15
  downwardAPI           DownwardAPIVolumeSource proto=2.16
  fc                    FCVolumeSource proto=2.17
  azureFile             AzureFileVolumeSource proto=2.18
  configMap             ConfigMapVolumeSource proto=2.19
  vsphereVolume         VsphereVirtualDiskVolumeSource proto=2.20
  quobyte               QuobyteVolumeSource proto=2.21
  azureDisk             AzureDiskVolumeSource proto=2.22
  photonPersistentDisk  PhotonPersistentDiskVolumeSource proto=2.23
  projected             ProjectedVolumeSource proto=2.26
  portworxVolume        PortworxVolumeSource proto=2.24
  scaleIO               ScaleIOVolumeSource proto=2.25
  storageos             StorageOSVolumeSource proto=2.27
  csi                   CSIVolumeSource proto=2.28
  ephemeral             EphemeralVolumeSource proto=2.29
  image                 ImageVolumeSource proto=2.30

type Container "A single application container of a pod."
  name                     string proto=1                  required
      "The container's name, a DNS label unique within the pod. Cannot be changed."
  image                    string proto=2 "The container image to run, e.g. registry.example/app:1.2."
  command                  []string proto=3                listType=atomic
      "The entrypoint, replacing the image's ENTRYPOINT. $(VAR) references to the container's environment are expanded; $$ escapes a dollar."
  args                     []string proto=4                listType=atomic
      "Arguments to the entrypoint, replacing the image's CMD. $(VAR) references are expanded as in command."
  workingDir               string proto=5 "The working directory of the container's process. Defaults to the image's."
  ports                    []ContainerPort proto=6         merge=containerPort strategy=merge listType=map keys=containerPort,protocol
      "Network ports the container exposes. Informational: any port the process listens on is reachable."
  envFrom                  []EnvFromSource proto=19         listType=atomic
      "Sources (ConfigMaps, Secrets) whose keys all become environment variables. Variables in env take precedence."
  env                      []EnvVar proto=7                merge=name strategy=merge listType=map keys=name
      "Environment variables set in the container."
  resources                ResourceRequirements proto=8
      "Compute resources the container requests and its limits, plus the resource claims it uses."
  resizePolicy             []ContainerResizePolicy proto=23 listType=atomic
      "How each resource of the container is resized in place (whether the container must be restarted)."
  restartPolicy            string proto=24
      "Per-container restart policy. For an init container, Always turns it into a sidecar that keeps running beside the regular containers."
  restartPolicyRules       []ContainerRestartRule proto=25  listType=atomic
      "Rules, checked in order, that decide from the exit code whether the container is restarted, overriding restartPolicy."
  volumeMounts             []VolumeMount proto=9           merge=mountPath strategy=merge listType=map keys=mountPath
      "Volumes of the pod mounted into the container's filesystem."
  volumeDevices            []VolumeDevice proto=21          merge=devicePath strategy=merge listType=map keys=devicePath
      "Block volumes of the pod exposed to the container as devices."
  livenessProbe            Probe proto=10
      "A periodic check of whether the container is alive; the container is restarted when it fails."
  readinessProbe           Probe proto=11
      "A periodic check of whether the container can serve; it is taken out of service endpoints when it fails."
  startupProbe             Probe proto=22
      "A check that must succeed once before the other probes start; the container is restarted when it keeps failing."
  lifecycle                Lifecycle proto=12 "Actions run right after the container starts and right before it stops."
  terminationMessagePath   string proto=13
      "File inside the container whose content becomes the termination message. Defaults to /dev/termination-log."
  terminationMessagePolicy string proto=20                  enum=File|FallbackToLogsOnError
      "Where the termination message comes from: File (default) or FallbackToLogsOnError (the log tail when the file is empty and the container failed)."
  imagePullPolicy          string proto=14                  enum=Always|Never|IfNotPresent
      "When the image is pulled: Always, Never or IfNotPresent. Defaults to Always for the :latest tag and IfNotPresent otherwise."
  securityContext          SecurityContext proto=15
      "Security settings of this container; they override the pod-level securityContext."
  stdin                    bool proto=16 "Keep a stdin buffer open for the container. Default false."
  stdinOnce                bool proto=17 "Close stdin after the first attach ends, when stdin is true. Default false."
  tty                      bool proto=18 "Allocate a TTY for the container; requires stdin. Default false."

type EphemeralContainer
  name                     string proto=1.1                  required
  image                    string proto=1.2
  command                  []string proto=1.3                listType=atomic
  args                     []string proto=1.4                listType=atomic
  workingDir               string proto=1.5
  ports                    []ContainerPort proto=1.6         merge=containerPort strategy=merge listType=map keys=containerPort,protocol
  envFrom                  []EnvFromSource proto=1.19         listType=atomic
  env                      []EnvVar proto=1.7                merge=name strategy=merge listType=map keys=name
  resources                ResourceRequirements proto=1.8
  resizePolicy             []ContainerResizePolicy proto=1.23 listType=atomic
  restartPolicy            string proto=1.24
  restartPolicyRules       []ContainerRestartRule proto=1.25  listType=atomic
  volumeMounts             []VolumeMount proto=1.9           merge=mountPath strategy=merge listType=map keys=mountPath
  volumeDevices            []VolumeDevice proto=1.21          merge=devicePath strategy=merge listType=map keys=devicePath
  livenessProbe            Probe proto=1.10
  readinessProbe           Probe proto=1.11
  startupProbe             Probe proto=1.22
  lifecycle                Lifecycle proto=1.12
  terminationMessagePath   string proto=1.13
  terminationMessagePolicy string proto=1.20                  enum=File|FallbackToLogsOnError
  imagePullPolicy          string proto=1.14                  enum=Always|Never|IfNotPresent
  securityContext          SecurityContext proto=1.15
  stdin                    bool proto=1.16
  stdinOnce                bool proto=1.17
  tty                      bool proto=1.18
  targetContainerName      string proto=2

type PodSecurityContext "Security settings shared by all containers of a pod. A container's own securityContext overrides fields it also sets."
  seLinuxOptions           SELinuxOptions proto=1
      "The SELinux label applied to all containers. The container runtime picks a random label when unset."
  windowsOptions           WindowsSecurityContextOptions proto=8
      "Windows-specific settings for all containers. Not allowed for linux pods."
  runAsUser                int64 proto=2
      "The user ID that runs the entrypoint of each container. Defaults to the image's user."
  runAsGroup               int64 proto=6
      "The primary group ID of each container's processes. Defaults to the runtime default."
  runAsNonRoot             bool proto=3
      "Require containers to run as a non-root user; the kubelet refuses to start a container that would run as UID 0."
  supplementalGroups       []int64 proto=4                       listType=atomic
      "Extra group IDs given to the first process of every container, besides its primary group."
  supplementalGroupsPolicy string proto=12                        enum=Merge|Strict
      "How supplementary groups of the first container process are computed: Merge (default; also the groups from the image's /etc/group) or Strict (only fsGroup, supplementalGroups and runAsGroup)."
  fsGroup                  int64 proto=5
      "A group ID that owns the pod's volumes and is added to every container's processes. Volumes that support ownership management are made group-writable for it."
  sysctls                  []Sysctl proto=7                      listType=atomic
      "Namespaced kernel parameters set for the pod. Unsupported sysctls make the pod fail to start."
  fsGroupChangePolicy      string proto=9                        enum=OnRootMismatch|Always
      "When volume ownership and permissions are changed to match fsGroup: OnRootMismatch or Always (default)."
  seccompProfile           SeccompProfile proto=10
      "The seccomp profile used by all containers unless a container sets its own."
  appArmorProfile          AppArmorProfile proto=11
      "The AppArmor profile used by all containers unless a container sets its own."
  seLinuxChangePolicy      string proto=13                        enum=Recursive|MountOption
      "How the SELinux label of the pod is applied to its volumes: Recursive relabels every file, MountOption mounts the volume with -o context when the volume plugin supports it. Unset means MountOption for ReadWriteOncePod volumes and Recursive otherwise."

type Affinity
  nodeAffinity    NodeAffinity proto=1
  podAffinity     PodAffinity proto=2
  podAntiAffinity PodAntiAffinity proto=3

type Toleration
  key               string proto=1
  operator          string proto=2 enum=Exists|Equal|Lt|Gt
  value             string proto=3
  effect            string proto=4 enum=NoSchedule|PreferNoSchedule|NoExecute
  tolerationSeconds int64 proto=5

type HostAlias
  ip        string proto=1   required
  hostnames []string proto=2 listType=atomic

type PodDNSConfig
  nameservers []string proto=1             listType=atomic
  searches    []string proto=2             listType=atomic
  options     []PodDNSConfigOption proto=3 listType=atomic

type PodReadinessGate
  conditionType string proto=1 required

type TopologySpreadConstraint
  maxSkew            int32 proto=1              required
  topologyKey        string proto=2             required
  whenUnsatisfiable  string proto=3             required enum=DoNotSchedule|ScheduleAnyway
  labelSelector      meta.LabelSelector proto=4
  minDomains         int32 proto=5
  nodeAffinityPolicy string proto=6             enum=Ignore|Honor
  nodeTaintsPolicy   string proto=7             enum=Ignore|Honor
  matchLabelKeys     []string proto=8           listType=atomic

type PodOS
  name string proto=1 required

type PodSchedulingGate
  name string proto=1 required

type PodResourceClaim "Names one ResourceClaim the pod uses, either an existing claim or one generated from a template."
  name                      string proto=1 required
      "The name containers use to refer to this claim. Unique within the pod."
  resourceClaimName         string proto=3
      "An existing ResourceClaim in the pod's namespace. Exactly one of this and resourceClaimTemplateName is set."
  resourceClaimTemplateName string proto=4
      "A ResourceClaimTemplate from which a claim is generated for this pod and deleted with it."

type ResourceRequirements
  limits   map[string]quantity proto=1 "The most of each resource the container may use."
  requests map[string]quantity proto=2
      "The amount of each resource the container needs; defaults to the limit when only the limit is set."
  claims   []ResourceClaim proto=3     listType=map keys=name "Entries of pod.spec.resourceClaims this container uses."

type PodSchedulingGroup
  podGroupName string proto=1

type PodCondition
  type               string proto=1 required
  observedGeneration int64 proto=7
  status             string proto=2 required
  lastProbeTime      time proto=3
  lastTransitionTime time proto=4
  reason             string proto=5
  message            string proto=6

type HostIP
  ip string proto=1 required

type PodIP
  ip string proto=1 required

type ContainerStatus
  name                     string proto=1               required
  state                    ContainerState proto=2
  lastState                ContainerState proto=3
  ready                    bool proto=4                 required
  restartCount             int32 proto=5                required
  image                    string proto=6               required
  imageID                  string proto=7               required
  containerID              string proto=8
  started                  bool proto=9
  allocatedResources       map[string]quantity proto=10
  resources                ResourceRequirements proto=11
  volumeMounts             []VolumeMountStatus proto=12  merge=mountPath strategy=merge listType=map keys=mountPath
  user                     ContainerUser proto=13
  allocatedResourcesStatus []ResourceStatus proto=14     merge=name strategy=merge listType=map keys=name
  stopSignal               string proto=15               enum=SIGABRT|SIGALRM|SIGBUS|SIGCHLD|SIGCLD|SIGCONT|SIGFPE|SIGHUP|SIGILL|SIGINT|SIGIO|SIGIOT|SIGKILL|SIGPIPE|SIGPOLL|SIGPROF|SIGPWR|SIGQUIT|SIGSEGV|SIGSTKFLT|SIGSTOP|SIGSYS|SIGTERM|SIGTRAP|SIGTSTP|SIGTTIN|SIGTTOU|SIGURG|SIGUSR1|SIGUSR2|SIGVTALRM|SIGWINCH|SIGXCPU|SIGXFSZ|SIGRTMIN|SIGRTMIN+1|SIGRTMIN+2|SIGRTMIN+3|SIGRTMIN+4|SIGRTMIN+5|SIGRTMIN+6|SIGRTMIN+7|SIGRTMIN+8|SIGRTMIN+9|SIGRTMIN+10|SIGRTMIN+11|SIGRTMIN+12|SIGRTMIN+13|SIGRTMIN+14|SIGRTMIN+15|SIGRTMAX-14|SIGRTMAX-13|SIGRTMAX-12|SIGRTMAX-11|SIGRTMAX-10|SIGRTMAX-9|SIGRTMAX-8|SIGRTMAX-7|SIGRTMAX-6|SIGRTMAX-5|SIGRTMAX-4|SIGRTMAX-3|SIGRTMAX-2|SIGRTMAX-1|SIGRTMAX

type PodResourceClaimStatus
  name              string proto=1 required
  resourceClaimName string proto=2

type PodExtendedResourceClaimStatus
  requestMappings   []ContainerExtendedResourceRequest proto=1 required listType=atomic
  resourceClaimName string proto=2                             required

type NodeAllocatableResourceClaimStatus
  resourceClaimName string proto=1              required
  containers        []string proto=2            listType=set
  resources         map[string]quantity proto=3 required

type NamespaceCondition
  type               string proto=1 required
  status             string proto=2 required
  lastTransitionTime time proto=4
  reason             string proto=5
  message            string proto=6

type Taint
  key       string proto=1 required
  value     string proto=2
  effect    string proto=3 required enum=NoSchedule|PreferNoSchedule|NoExecute
  timeAdded time proto=4

type NodeConfigSource
  configMap ConfigMapNodeConfigSource proto=2

type NodeCondition
  type               string proto=1 required
  status             string proto=2 required
  lastHeartbeatTime  time proto=3
  lastTransitionTime time proto=4
  reason             string proto=5
  message            string proto=6

type NodeAddress
  type    string proto=1 required
  address string proto=2 required

type NodeDaemonEndpoints
  kubeletEndpoint DaemonEndpoint proto=1

type NodeSystemInfo
  machineID               string proto=1         required
  systemUUID              string proto=2         required
  bootID                  string proto=3         required
  kernelVersion           string proto=4         required
  osImage                 string proto=5         required
  containerRuntimeVersion string proto=6         required
  kubeletVersion          string proto=7         required
  kubeProxyVersion        string proto=8         required
  operatingSystem         string proto=9         required
  architecture            string proto=10         required
  swap                    NodeSwapStatus proto=11

type ContainerImage
  names     []string proto=1 listType=atomic
  sizeBytes int64 proto=2

type AttachedVolume
  name       string proto=1 required
  devicePath string proto=2 required

type NodeConfigStatus
  assigned      NodeConfigSource proto=1
  active        NodeConfigSource proto=2
  lastKnownGood NodeConfigSource proto=3
  error         string proto=4

type NodeRuntimeHandler
  name     string proto=1
  features NodeRuntimeHandlerFeatures proto=2

type NodeFeatures
  supplementalGroupsPolicy bool proto=1

type ServicePort
  name        string proto=1
  protocol    string proto=2      enum=TCP|UDP|SCTP
  appProtocol string proto=6
  port        int32 proto=3       required
  targetPort  intorstring proto=4
  nodePort    int32 proto=5

type SessionAffinityConfig
  clientIP ClientIPConfig proto=1

type LoadBalancerStatus
  ingress []LoadBalancerIngress proto=1 listType=atomic

type EndpointAddress
  ip        string proto=1          required
  hostname  string proto=3
  nodeName  string proto=4
  targetRef ObjectReference proto=2

type EndpointPort
  name        string proto=1
  port        int32 proto=2  required
  protocol    string proto=3 enum=TCP|UDP|SCTP
  appProtocol string proto=4

type HostPathVolumeSource
  path string proto=1 required
  type string proto=2 enum=|DirectoryOrCreate|Directory|FileOrCreate|File|Socket|CharDevice|BlockDevice

type EmptyDirVolumeSource
  medium    string proto=1
  sizeLimit quantity proto=2

type GCEPersistentDiskVolumeSource
  pdName    string proto=1 required
  fsType    string proto=2
  partition int32 proto=3
  readOnly  bool proto=4

type AWSElasticBlockStoreVolumeSource
  volumeID  string proto=1 required
  fsType    string proto=2
  partition int32 proto=3
  readOnly  bool proto=4

type GitRepoVolumeSource
  repository string proto=1 required
  revision   string proto=2
  directory  string proto=3

type SecretVolumeSource
  secretName  string proto=1
  items       []KeyToPath proto=2 listType=atomic
  defaultMode int32 proto=3
  optional    bool proto=4

type NFSVolumeSource
  server   string proto=1 required
  path     string proto=2 required
  readOnly bool proto=3

type ISCSIVolumeSource
  targetPortal      string proto=1               required
  iqn               string proto=2               required
  lun               int32 proto=3                required
  iscsiInterface    string proto=4
  fsType            string proto=5
  readOnly          bool proto=6
  portals           []string proto=7             listType=atomic
  chapAuthDiscovery bool proto=8
  chapAuthSession   bool proto=11
  secretRef         LocalObjectReference proto=10
  initiatorName     string proto=12

type GlusterfsVolumeSource
  endpoints string proto=1 required
  path      string proto=2 required
  readOnly  bool proto=3

type PersistentVolumeClaimVolumeSource
  claimName string proto=1 required
  readOnly  bool proto=2

type RBDVolumeSource
  monitors  []string proto=1             required listType=atomic
  image     string proto=2               required
  fsType    string proto=3
  pool      string proto=4
  user      string proto=5
  keyring   string proto=6
  secretRef LocalObjectReference proto=7
  readOnly  bool proto=8

type FlexVolumeSource
  driver    string proto=1               required
  fsType    string proto=2
  secretRef LocalObjectReference proto=3
  readOnly  bool proto=4
  options   map[string]string proto=5

type CinderVolumeSource
  volumeID  string proto=1               required
  fsType    string proto=2
  readOnly  bool proto=3
  secretRef LocalObjectReference proto=4

type CephFSVolumeSource
  monitors   []string proto=1             required listType=atomic
  path       string proto=2
  user       string proto=3
  secretFile string proto=4
  secretRef  LocalObjectReference proto=5
  readOnly   bool proto=6

type FlockerVolumeSource
  datasetName string proto=1
  datasetUUID string proto=2

type DownwardAPIVolumeSource
  items       []DownwardAPIVolumeFile proto=1 listType=atomic
  defaultMode int32 proto=2

type FCVolumeSource
  targetWWNs []string proto=1 listType=atomic
  lun        int32 proto=2
  fsType     string proto=3
  readOnly   bool proto=4
  wwids      []string proto=5 listType=atomic

type AzureFileVolumeSource
  secretName string proto=1 required
  shareName  string proto=2 required
  readOnly   bool proto=3

type ConfigMapVolumeSource
  name        string proto=1.1
  items       []KeyToPath proto=2 listType=atomic
  defaultMode int32 proto=3
  optional    bool proto=4

type VsphereVirtualDiskVolumeSource
  volumePath        string proto=1 required
  fsType            string proto=2
  storagePolicyName string proto=3
  storagePolicyID   string proto=4

type QuobyteVolumeSource
  registry string proto=1 required
  volume   string proto=2 required
  readOnly bool proto=3
  user     string proto=4
  group    string proto=5
  tenant   string proto=6

type AzureDiskVolumeSource
  diskName    string proto=1 required
  diskURI     string proto=2 required
  cachingMode string proto=3 enum=None|ReadOnly|ReadWrite
  fsType      string proto=4
  readOnly    bool proto=5
  kind        string proto=6 enum=Shared|Dedicated|Managed

type PhotonPersistentDiskVolumeSource
  pdID   string proto=1 required
  fsType string proto=2

type ProjectedVolumeSource
  sources     []VolumeProjection proto=1 listType=atomic
  defaultMode int32 proto=2

type PortworxVolumeSource
  volumeID string proto=1 required
  fsType   string proto=2
  readOnly bool proto=3

type ScaleIOVolumeSource
  gateway          string proto=1               required
  system           string proto=2               required
  secretRef        LocalObjectReference proto=3
  sslEnabled       bool proto=4
  protectionDomain string proto=5
  storagePool      string proto=6
  storageMode      string proto=7
  volumeName       string proto=8
  fsType           string proto=9
  readOnly         bool proto=10

type StorageOSVolumeSource
  volumeName      string proto=1
  volumeNamespace string proto=2
  fsType          string proto=3
  readOnly        bool proto=4
  secretRef       LocalObjectReference proto=5

type CSIVolumeSource
  driver               string proto=1               required
  readOnly             bool proto=2
  fsType               string proto=3
  volumeAttributes     map[string]string proto=4
  nodePublishSecretRef LocalObjectReference proto=5

type EphemeralVolumeSource
  volumeClaimTemplate PersistentVolumeClaimTemplate proto=1

type ImageVolumeSource
  reference  string proto=1
  pullPolicy string proto=2 enum=Always|Never|IfNotPresent

type ContainerPort
  name          string proto=1
  hostPort      int32 proto=2
  containerPort int32 proto=3  required
  protocol      string proto=4 enum=TCP|UDP|SCTP
  hostIP        string proto=5

type EnvFromSource
  prefix       string proto=1
  configMapRef ConfigMapEnvSource proto=2
  secretRef    SecretEnvSource proto=3

type EnvVar
  name      string proto=1       required
  value     string proto=2
  valueFrom EnvVarSource proto=3

type ContainerResizePolicy
  resourceName  string proto=1 required
  restartPolicy string proto=2 required

type ContainerRestartRule
  action    string proto=1                          required
  exitCodes ContainerRestartRuleOnExitCodes proto=2

type VolumeMount
  name              string proto=1 required
  readOnly          bool proto=2
  recursiveReadOnly string proto=7
  mountPath         string proto=3 required
  subPath           string proto=4
  mountPropagation  string proto=5 enum=None|HostToContainer|Bidirectional
  subPathExpr       string proto=6

type VolumeDevice
  name       string proto=1 required
  devicePath string proto=2 required

type Probe
  exec                          ExecAction proto=1.1
  httpGet                       HTTPGetAction proto=1.2
  tcpSocket                     TCPSocketAction proto=1.3
  grpc                          GRPCAction proto=1.4
  initialDelaySeconds           int32 proto=2
  timeoutSeconds                int32 proto=3
  periodSeconds                 int32 proto=4
  successThreshold              int32 proto=5
  failureThreshold              int32 proto=6
  terminationGracePeriodSeconds int64 proto=7

type Lifecycle
  postStart  LifecycleHandler proto=1
  preStop    LifecycleHandler proto=2
  stopSignal string proto=3           enum=SIGABRT|SIGALRM|SIGBUS|SIGCHLD|SIGCLD|SIGCONT|SIGFPE|SIGHUP|SIGILL|SIGINT|SIGIO|SIGIOT|SIGKILL|SIGPIPE|SIGPOLL|SIGPROF|SIGPWR|SIGQUIT|SIGSEGV|SIGSTKFLT|SIGSTOP|SIGSYS|SIGTERM|SIGTRAP|SIGTSTP|SIGTTIN|SIGTTOU|SIGURG|SIGUSR1|SIGUSR2|SIGVTALRM|SIGWINCH|SIGXCPU|SIGXFSZ|SIGRTMIN|SIGRTMIN+1|SIGRTMIN+2|SIGRTMIN+3|SIGRTMIN+4|SIGRTMIN+5|SIGRTMIN+6|SIGRTMIN+7|SIGRTMIN+8|SIGRTMIN+9|SIGRTMIN+10|SIGRTMIN+11|SIGRTMIN+12|SIGRTMIN+13|SIGRTMIN+14|SIGRTMIN+15|SIGRTMAX-14|SIGRTMAX-13|SIGRTMAX-12|SIGRTMAX-11|SIGRTMAX-10|SIGRTMAX-9|SIGRTMAX-8|SIGRTMAX-7|SIGRTMAX-6|SIGRTMAX-5|SIGRTMAX-4|SIGRTMAX-3|SIGRTMAX-2|SIGRTMAX-1|SIGRTMAX

type SecurityContext "Security settings of one container."
  capabilities             Capabilities proto=1 "Linux capabilities to add to or drop from the runtime default set."
  privileged               bool proto=2 "Run the container as privileged, equal to root on the host. Default false."
  seLinuxOptions           SELinuxOptions proto=3 "The SELinux label of the container."
  windowsOptions           WindowsSecurityContextOptions proto=10
  runAsUser                int64 proto=4 "The user ID that runs the container's entrypoint."
  runAsGroup               int64 proto=8 "The primary group ID of the container's process."
  runAsNonRoot             bool proto=5 "Require the container to run as a non-root user."
  readOnlyRootFilesystem   bool proto=6 "Mount the container's root filesystem read-only. Default false."
  allowPrivilegeEscalation bool proto=7
      "Whether a process can gain more privileges than its parent (the no_new_privs flag). Always true when privileged or with CAP_SYS_ADMIN."
  procMount                string proto=9                        enum=Default|Unmasked
      "How /proc is mounted: Default masks and read-only paths, Unmasked leaves them (needs hostUsers false)."
  seccompProfile           SeccompProfile proto=11 "The seccomp profile of the container."
  appArmorProfile          AppArmorProfile proto=12 "The AppArmor profile of the container."

type SELinuxOptions
  user  string proto=1
  role  string proto=2
  type  string proto=3
  level string proto=4

type WindowsSecurityContextOptions
  gmsaCredentialSpecName string proto=1
  gmsaCredentialSpec     string proto=2
  runAsUserName          string proto=3
  hostProcess            bool proto=4

type Sysctl
  name  string proto=1 required
  value string proto=2 required

type SeccompProfile
  type             string proto=1 required enum=Unconfined|RuntimeDefault|Localhost
      "Which profile: Localhost (a file on the node), RuntimeDefault or Unconfined."
  localhostProfile string proto=2
      "Path of the profile file relative to the kubelet's seccomp directory; required for type Localhost."

type AppArmorProfile
  type             string proto=1 required enum=Unconfined|RuntimeDefault|Localhost
      "Which profile: Localhost (loaded on the node), RuntimeDefault or Unconfined."
  localhostProfile string proto=2 "Name of a profile loaded on the node; required for type Localhost."

type NodeAffinity
  requiredDuringSchedulingIgnoredDuringExecution  NodeSelector proto=1
  preferredDuringSchedulingIgnoredDuringExecution []PreferredSchedulingTerm proto=2 listType=atomic

type PodAffinity
  requiredDuringSchedulingIgnoredDuringExecution  []PodAffinityTerm proto=1         listType=atomic
  preferredDuringSchedulingIgnoredDuringExecution []WeightedPodAffinityTerm proto=2 listType=atomic

type PodAntiAffinity
  requiredDuringSchedulingIgnoredDuringExecution  []PodAffinityTerm proto=1         listType=atomic
  preferredDuringSchedulingIgnoredDuringExecution []WeightedPodAffinityTerm proto=2 listType=atomic

type PodDNSConfigOption
  name  string proto=1
  value string proto=2

type ResourceClaim
  name    string proto=1 required "The name of an entry in pod.spec.resourceClaims."
  request string proto=2 "One request of the claim to use; all requests when empty."

type ContainerState
  waiting    ContainerStateWaiting proto=1
  running    ContainerStateRunning proto=2
  terminated ContainerStateTerminated proto=3

type VolumeMountStatus
  name              string proto=1       required
  mountPath         string proto=2       required
  readOnly          bool proto=3
  recursiveReadOnly string proto=4
  volumeStatus      VolumeStatus proto=5

type ContainerUser
  linux LinuxContainerUser proto=1

type ResourceStatus
  name      string proto=1           required
  resources []ResourceHealth proto=2 listType=map keys=resourceID

type ContainerExtendedResourceRequest
  containerName string proto=1 required
  resourceName  string proto=2 required
  requestName   string proto=3 required

type ConfigMapNodeConfigSource
  namespace        string proto=1 required
  name             string proto=2 required
  uid              string proto=3
  resourceVersion  string proto=4
  kubeletConfigKey string proto=5 required

type DaemonEndpoint
  Port int32 proto=1 required

type NodeSwapStatus
  capacity int64 proto=1

type NodeRuntimeHandlerFeatures
  recursiveReadOnlyMounts bool proto=1
  userNamespaces          bool proto=2

type ClientIPConfig
  timeoutSeconds int32 proto=1

type LoadBalancerIngress
  ip       string proto=1
  hostname string proto=2
  ipMode   string proto=3
  ports    []PortStatus proto=4 listType=atomic

type KeyToPath
  key  string proto=1 required
  path string proto=2 required
  mode int32 proto=3

type DownwardAPIVolumeFile
  path             string proto=1                required
  fieldRef         ObjectFieldSelector proto=2
  resourceFieldRef ResourceFieldSelector proto=3
  mode             int32 proto=4

type VolumeProjection
  secret              SecretProjection proto=1
  downwardAPI         DownwardAPIProjection proto=2
  configMap           ConfigMapProjection proto=3
  serviceAccountToken ServiceAccountTokenProjection proto=4
  clusterTrustBundle  ClusterTrustBundleProjection proto=5
  podCertificate      PodCertificateProjection proto=6

type PersistentVolumeClaimTemplate
  metadata meta.ObjectMeta proto=1
  spec     PersistentVolumeClaimSpec proto=2 required

type ConfigMapEnvSource
  name     string proto=1.1
  optional bool proto=2

type SecretEnvSource
  name     string proto=1.1
  optional bool proto=2

type EnvVarSource
  fieldRef         ObjectFieldSelector proto=1
  resourceFieldRef ResourceFieldSelector proto=2
  configMapKeyRef  ConfigMapKeySelector proto=3
  secretKeyRef     SecretKeySelector proto=4
  fileKeyRef       FileKeySelector proto=5

type ContainerRestartRuleOnExitCodes
  operator string proto=1  required
  values   []int32 proto=2 listType=set

type ExecAction
  command []string proto=1 listType=atomic

type HTTPGetAction
  path        string proto=1
  port        intorstring proto=2  required
  host        string proto=3
  scheme      string proto=4       enum=HTTP|HTTPS
  httpHeaders []HTTPHeader proto=5 listType=atomic

type TCPSocketAction
  port intorstring proto=1 required
  host string proto=2

type GRPCAction
  port    int32 proto=1  required
  service string proto=2

type LifecycleHandler
  exec      ExecAction proto=1
  httpGet   HTTPGetAction proto=2
  tcpSocket TCPSocketAction proto=3
  sleep     SleepAction proto=4

type Capabilities
  add  []string proto=1 listType=atomic
  drop []string proto=2 listType=atomic

type NodeSelector
  nodeSelectorTerms []NodeSelectorTerm proto=1 required listType=atomic

type PreferredSchedulingTerm
  weight     int32 proto=1            required
  preference NodeSelectorTerm proto=2 required

type PodAffinityTerm
  labelSelector     meta.LabelSelector proto=1
  namespaces        []string proto=2           listType=atomic
  topologyKey       string proto=3             required
  namespaceSelector meta.LabelSelector proto=4
  matchLabelKeys    []string proto=5           listType=atomic
  mismatchLabelKeys []string proto=6           listType=atomic

type WeightedPodAffinityTerm
  weight          int32 proto=1           required
  podAffinityTerm PodAffinityTerm proto=2 required

type ContainerStateWaiting
  reason  string proto=1
  message string proto=2

type ContainerStateRunning
  startedAt time proto=1

type ContainerStateTerminated
  exitCode    int32 proto=1  required
  signal      int32 proto=2
  reason      string proto=3
  message     string proto=4
  startedAt   time proto=5
  finishedAt  time proto=6
  containerID string proto=7

type VolumeStatus
  image ImageVolumeStatus proto=1

type LinuxContainerUser
  uid                int64 proto=1   required
  gid                int64 proto=2   required
  supplementalGroups []int64 proto=3 listType=atomic

type ResourceHealth
  resourceID string proto=1 required
  health     string proto=2
  message    string proto=6

type PortStatus
  port     int32 proto=1  required
  protocol string proto=2 required enum=TCP|UDP|SCTP
  error    string proto=3

type ObjectFieldSelector
  apiVersion string proto=1
  fieldPath  string proto=2 required

type ResourceFieldSelector
  containerName string proto=1
  resource      string proto=2   required
  divisor       quantity proto=3

type SecretProjection
  name     string proto=1.1
  items    []KeyToPath proto=2 listType=atomic
  optional bool proto=4

type DownwardAPIProjection
  items []DownwardAPIVolumeFile proto=1 listType=atomic

type ConfigMapProjection
  name     string proto=1.1
  items    []KeyToPath proto=2 listType=atomic
  optional bool proto=4

type ServiceAccountTokenProjection
  audience          string proto=1
  expirationSeconds int64 proto=2
  path              string proto=3 required

type ClusterTrustBundleProjection
  name          string proto=1
  signerName    string proto=2
  labelSelector meta.LabelSelector proto=3
  optional      bool proto=5
  path          string proto=4             required

type PodCertificateProjection
  signerName           string proto=1            required
  keyType              string proto=2            required
  maxExpirationSeconds int32 proto=3
  credentialBundlePath string proto=4
  keyPath              string proto=5
  certificateChainPath string proto=6
  userAnnotations      map[string]string proto=7

type PersistentVolumeClaimSpec
  accessModes               []string proto=1                   listType=atomic enum=ReadWriteOnce|ReadOnlyMany|ReadWriteMany|ReadWriteOncePod
  selector                  meta.LabelSelector proto=4
  resources                 VolumeResourceRequirements proto=2
  volumeName                string proto=3
  storageClassName          string proto=5
  volumeMode                string proto=6                     enum=Block|Filesystem
  dataSource                TypedLocalObjectReference proto=7
  dataSourceRef             TypedObjectReference proto=8
  volumeAttributesClassName string proto=9

type ConfigMapKeySelector
  name     string proto=1.1
  key      string proto=2 required
  optional bool proto=3

type SecretKeySelector
  name     string proto=1.1
  key      string proto=2 required
  optional bool proto=3

type FileKeySelector
  volumeName string proto=1 required
  path       string proto=2 required
  key        string proto=3 required
  optional   bool proto=4

type HTTPHeader
  name  string proto=1 required
  value string proto=2 required

type SleepAction
  seconds int64 proto=1 required

type NodeSelectorTerm
  matchExpressions []NodeSelectorRequirement proto=1 listType=atomic
  matchFields      []NodeSelectorRequirement proto=2 listType=atomic

type ImageVolumeStatus
  imageRef string proto=1 required

type VolumeResourceRequirements
  limits   map[string]quantity proto=1
  requests map[string]quantity proto=2

type TypedLocalObjectReference
  apiGroup string proto=1
  kind     string proto=2 required
  name     string proto=3 required

type TypedObjectReference
  apiGroup  string proto=1
  kind      string proto=2 required
  name      string proto=3 required
  namespace string proto=4

type NodeSelectorRequirement
  key      string proto=1   required
  operator string proto=2   required enum=In|NotIn|Exists|DoesNotExist|Gt|Lt
  values   []string proto=3 listType=atomic
)decl";
}

}  // namespace haru::api::types
