package main

// Reading docs/kubernetes/geetcache.yaml and rendering its pods as local
// processes, for kubernetes_test.go. Only the fields the test needs are
// read; rendering does what the kubelet does with them (fieldRef values,
// $(VAR) expansion, HOSTNAME) and then what this machine cannot: there is
// no pod network and no DNS for the headless Service here, so every pod's
// host name and container port become 127.0.0.1 and a port the test picks.

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	yaml "go.yaml.in/yaml/v2"
)

// manifestPath is the manifest the tests read, from cmd/geetcache.
var manifestPath = filepath.Join("..", "..", "docs", "kubernetes", "geetcache.yaml")

type k8sMeta struct {
	Name   string            `yaml:"name"`
	Labels map[string]string `yaml:"labels"`
}

type k8sLabelSelector struct {
	MatchLabels map[string]string `yaml:"matchLabels"`
}

type k8sService struct {
	Metadata k8sMeta `yaml:"metadata"`
	Spec     struct {
		ClusterIP       string            `yaml:"clusterIP"`
		PublishNotReady bool              `yaml:"publishNotReadyAddresses"`
		Selector        map[string]string `yaml:"selector"`
		Ports           []struct {
			Port       int    `yaml:"port"`
			TargetPort string `yaml:"targetPort"`
		} `yaml:"ports"`
	} `yaml:"spec"`
}

type k8sPDB struct {
	Metadata k8sMeta `yaml:"metadata"`
	Spec     struct {
		MaxUnavailable *int             `yaml:"maxUnavailable"`
		MinAvailable   *int             `yaml:"minAvailable"`
		Selector       k8sLabelSelector `yaml:"selector"`
	} `yaml:"spec"`
}

type k8sStatefulSet struct {
	Metadata k8sMeta `yaml:"metadata"`
	Spec     struct {
		ServiceName    string           `yaml:"serviceName"`
		Replicas       int              `yaml:"replicas"`
		Selector       k8sLabelSelector `yaml:"selector"`
		UpdateStrategy struct {
			Type string `yaml:"type"`
		} `yaml:"updateStrategy"`
		Template struct {
			Metadata k8sMeta `yaml:"metadata"`
			Spec     struct {
				TerminationGracePeriodSeconds int            `yaml:"terminationGracePeriodSeconds"`
				Containers                    []k8sContainer `yaml:"containers"`
			} `yaml:"spec"`
		} `yaml:"template"`
		VolumeClaimTemplates []struct {
			Metadata k8sMeta `yaml:"metadata"`
		} `yaml:"volumeClaimTemplates"`
	} `yaml:"spec"`
}

type k8sContainer struct {
	Name    string   `yaml:"name"`
	Command []string `yaml:"command"`
	Args    []string `yaml:"args"`
	Env     []k8sEnv `yaml:"env"`
	Ports   []struct {
		Name          string `yaml:"name"`
		ContainerPort int    `yaml:"containerPort"`
	} `yaml:"ports"`
	StartupProbe   *k8sProbe `yaml:"startupProbe"`
	LivenessProbe  *k8sProbe `yaml:"livenessProbe"`
	ReadinessProbe *k8sProbe `yaml:"readinessProbe"`
	Lifecycle      struct {
		PreStop *k8sProbe `yaml:"preStop"` // only its exec is read
	} `yaml:"lifecycle"`
	VolumeMounts []struct {
		Name      string `yaml:"name"`
		MountPath string `yaml:"mountPath"`
	} `yaml:"volumeMounts"`
}

type k8sEnv struct {
	Name      string `yaml:"name"`
	Value     string `yaml:"value"`
	ValueFrom *struct {
		FieldRef *struct {
			FieldPath string `yaml:"fieldPath"`
		} `yaml:"fieldRef"`
	} `yaml:"valueFrom"`
}

type k8sProbe struct {
	Exec *struct {
		Command []string `yaml:"command"`
	} `yaml:"exec"`
	PeriodSeconds    int `yaml:"periodSeconds"`
	TimeoutSeconds   int `yaml:"timeoutSeconds"`
	FailureThreshold int `yaml:"failureThreshold"`
}

// k8sManifest is the manifest's objects, by kind.
type k8sManifest struct {
	services []k8sService
	pdbs     []k8sPDB
	sts      []k8sStatefulSet
}

// readManifest parses every document of the manifest, failing the test on
// a document it cannot read or whose kind it does not know.
func readManifest(t *testing.T, path string) k8sManifest {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("failed to read the manifest: %v", err)
	}
	var m k8sManifest
	for i, doc := range strings.Split(string(data), "\n---\n") {
		var head struct {
			Kind string `yaml:"kind"`
		}
		if err := yaml.Unmarshal([]byte(doc), &head); err != nil {
			t.Fatalf("%s: document %d: %v", path, i, err)
		}
		var err error
		switch head.Kind {
		case "":
			continue // the header comment
		case "Service":
			m.services = append(m.services, k8sService{})
			err = yaml.Unmarshal([]byte(doc), &m.services[len(m.services)-1])
		case "PodDisruptionBudget":
			m.pdbs = append(m.pdbs, k8sPDB{})
			err = yaml.Unmarshal([]byte(doc), &m.pdbs[len(m.pdbs)-1])
		case "StatefulSet":
			m.sts = append(m.sts, k8sStatefulSet{})
			err = yaml.Unmarshal([]byte(doc), &m.sts[len(m.sts)-1])
		default:
			t.Fatalf("%s: document %d: kind %q the test does not know", path, i, head.Kind)
		}
		if err != nil {
			t.Fatalf("%s: document %d (%s): %v", path, i, head.Kind, err)
		}
	}
	return m
}

// k8sPod is one rendered pod: its process and what the kubelet would run
// in its container (probes, preStop), all with the pod's environment.
type k8sPod struct {
	name string
	node *node
	env  []string // the container's whole environment
	c    k8sContainer
	bin  string // the image's binary path, which command[0] names
}

// k8sNet is the stand-in for the pod network: pod ordinal -> container
// port -> the local port the test picked for it.
type k8sNet struct {
	namespace, service, set string
	ports                   []map[int]int
	// services maps a non-headless Service's name:port to the container
	// port it targets; pod ord reaches it at pod (ord+1)'s: a Service
	// sends a connection to some ready pod, here always another one.
	services map[string]int
}

// hostPattern matches a headless-Service host name with a port:
// <pod>.<service>.<namespace>.svc.cluster.local:<port>.
var hostPattern = regexp.MustCompile(`([a-z0-9-]+)\.([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.cluster\.local:([0-9]+)`)

// localize replaces each pod host name:port in s by 127.0.0.1 and the
// local port picked for that pod's container port; a name that is not one
// of the StatefulSet's pods under its Service fails the test.
func (nw *k8sNet) localize(t *testing.T, s string) string {
	t.Helper()
	return hostPattern.ReplaceAllStringFunc(s, func(m string) string {
		p := hostPattern.FindStringSubmatch(m)
		ord, err := strconv.Atoi(strings.TrimPrefix(p[1], nw.set+"-"))
		port, _ := strconv.Atoi(p[4])
		if p[2] != nw.service || p[3] != nw.namespace || err != nil || ord < 0 || ord >= len(nw.ports) || nw.ports[ord][port] == 0 {
			t.Fatalf("the manifest names %s, which is no port of a pod of StatefulSet %s under Service %s", m, nw.set, nw.service)
		}
		return "127.0.0.1:" + strconv.Itoa(nw.ports[ord][port])
	})
}

// renderPod builds pod ord's environment and command line as the kubelet
// would, then localizes them: host names and the pod's own container port
// numbers (a value that is exactly one) become local ports, the data
// volume's mount path a fresh directory, the image's binary the test's.
func renderPod(t *testing.T, sts k8sStatefulSet, nw *k8sNet, ord int, dataDir string) *k8sPod {
	t.Helper()
	c := sts.Spec.Template.Spec.Containers[0]
	name := sts.Metadata.Name + "-" + strconv.Itoa(ord)
	vars := map[string]string{}
	env := []string{"HOSTNAME=" + name}
	for _, e := range c.Env {
		v := expandK8s(e.Value, vars)
		if e.ValueFrom != nil && e.ValueFrom.FieldRef != nil {
			v = map[string]string{"metadata.name": name, "metadata.namespace": nw.namespace}[e.ValueFrom.FieldRef.FieldPath]
			if v == "" {
				t.Fatalf("env %s: fieldRef %q is not rendered by the test", e.Name, e.ValueFrom.FieldRef.FieldPath)
			}
		}
		vars[e.Name] = v
		env = append(env, e.Name+"="+localValue(t, nw, ord, v))
	}
	argv := append(append([]string{}, c.Command...), c.Args...)
	for i := range argv {
		argv[i] = localValue(t, nw, ord, expandK8s(argv[i], vars))
		for _, vm := range c.VolumeMounts {
			if argv[i] == vm.MountPath {
				argv[i] = dataDir
			}
		}
	}
	for _, kv := range append(env, argv...) {
		if strings.Contains(kv, "$(") || strings.Contains(kv, "cluster.local") {
			t.Fatalf("pod %s: %q is left unrendered", name, kv)
		}
	}
	n := &node{t: t, port: nw.ports[ord][c.Ports[0].ContainerPort], raftPort: nw.ports[ord][c.Ports[1].ContainerPort],
		dir: dataDir, args: argv[1:], env: env, envOnly: true}
	return &k8sPod{name: name, node: n, env: env, c: c, bin: c.Command[0]}
}

// localValue localizes one value of pod ord: host names, and the value
// that is exactly one of its container ports.
func localValue(t *testing.T, nw *k8sNet, ord int, v string) string {
	t.Helper()
	if p, err := strconv.Atoi(v); err == nil && nw.ports[ord][p] != 0 {
		return strconv.Itoa(nw.ports[ord][p])
	}
	if cp, ok := nw.services[v]; ok {
		return "127.0.0.1:" + strconv.Itoa(nw.ports[(ord+1)%len(nw.ports)][cp])
	}
	return nw.localize(t, v)
}

// serviceTargets maps each non-headless Service's name:port to the
// container port (of c) it targets.
func serviceTargets(m k8sManifest, c k8sContainer) map[string]int {
	out := map[string]int{}
	for _, s := range m.services {
		if s.Spec.ClusterIP == "None" {
			continue
		}
		for _, sp := range s.Spec.Ports {
			for _, cp := range c.Ports {
				if cp.Name == sp.TargetPort || strconv.Itoa(cp.ContainerPort) == sp.TargetPort {
					out[s.Metadata.Name+":"+strconv.Itoa(sp.Port)] = cp.ContainerPort
				}
			}
		}
	}
	return out
}

// setEnvArgs reads the "kubectl set env statefulset/..." line of the
// manifest's header (step 3 of docs/operations.md) and returns its
// NAME=value and NAME- arguments.
func setEnvArgs(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(strings.TrimPrefix(line, "#")), "kubectl set env statefulset/"); ok {
			return strings.Fields(rest)[1:]
		}
	}
	t.Fatalf("%s: no 'kubectl set env statefulset/...' line", path)
	return nil
}

// kubectlSetEnv applies kubectl set env's arguments to a container's env:
// NAME- removes NAME, NAME=value sets it in place or appends it.
func kubectlSetEnv(t *testing.T, env []k8sEnv, args []string) []k8sEnv {
	t.Helper()
	out := append([]k8sEnv{}, env...)
	for _, a := range args {
		name, value, set := strings.Cut(a, "=")
		if !set && !strings.HasSuffix(a, "-") {
			t.Fatalf("kubectl set env argument %q is neither NAME=value nor NAME-", a)
		}
		name = strings.TrimSuffix(name, "-")
		i := slices.IndexFunc(out, func(e k8sEnv) bool { return e.Name == name })
		switch {
		case !set && i >= 0:
			out = slices.Delete(out, i, i+1)
		case set && i >= 0:
			out[i] = k8sEnv{Name: name, Value: value}
		case set:
			out = append(out, k8sEnv{Name: name, Value: value})
		}
	}
	return out
}

// expandK8s expands $(NAME) references to variables defined earlier in the
// container's env, as Kubernetes does: an unknown reference is left as
// written and $$ is a literal $.
func expandK8s(s string, vars map[string]string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case strings.HasPrefix(s[i:], "$$"):
			b.WriteByte('$')
			i++
		case strings.HasPrefix(s[i:], "$(") && strings.IndexByte(s[i:], ')') > 0:
			end := strings.IndexByte(s[i:], ')')
			v, ok := vars[s[i+2:i+end]]
			if !ok {
				v = s[i : i+end+1]
			}
			b.WriteString(v)
			i += end
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// execIn runs one of the container's exec commands (a probe, preStop) as
// the kubelet would: in the container's environment, killed after timeout.
func (p *k8sPod) execIn(t *testing.T, what string, h *k8sProbe, timeout time.Duration) error {
	t.Helper()
	if h == nil || h.Exec == nil || len(h.Exec.Command) == 0 || h.Exec.Command[0] != p.bin {
		t.Fatalf("%s: %+v does not exec the image's binary %s", what, h, p.bin)
	}
	argv := h.Exec.Command
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, binPath, argv[1:]...)
	cmd.Env = p.env
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %q on %s: %v: %s", what, argv, p.name, err, strings.TrimSpace(string(out)))
	}
	return nil
}
