package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// checkManifestShape fails the test unless the manifest has what a
// three-voter cluster needs: a StatefulSet of 3 under a headless Service
// that publishes not-ready pods (peers must find each other before any is
// ready), a PodDisruptionBudget letting one pod go at a time, exec probes
// and a preStop hook that run the image's binary, a data volume, and a
// command whose binary the Dockerfile installs.
func checkManifestShape(t *testing.T, m k8sManifest) k8sStatefulSet {
	t.Helper()
	if len(m.sts) != 1 {
		t.Fatalf("want one StatefulSet, got %d", len(m.sts))
	}
	sts := m.sts[0]
	labels := sts.Spec.Template.Metadata.Labels
	if sts.Spec.Replicas != 3 || !reflect.DeepEqual(sts.Spec.Selector.MatchLabels, labels) || sts.Spec.UpdateStrategy.Type != "RollingUpdate" {
		t.Errorf("StatefulSet: replicas %d, selector %v for pod labels %v, update strategy %q; want 3, matching, RollingUpdate",
			sts.Spec.Replicas, sts.Spec.Selector.MatchLabels, labels, sts.Spec.UpdateStrategy.Type)
	}
	headless := false
	for _, s := range m.services {
		if s.Metadata.Name == sts.Spec.ServiceName {
			headless = s.Spec.ClusterIP == "None" && s.Spec.PublishNotReady && reflect.DeepEqual(s.Spec.Selector, labels)
		}
	}
	if !headless {
		t.Errorf("Service %q must be headless (clusterIP: None), publish not-ready addresses and select the pods", sts.Spec.ServiceName)
	}
	if len(m.pdbs) != 1 || !reflect.DeepEqual(m.pdbs[0].Spec.Selector.MatchLabels, labels) ||
		m.pdbs[0].Spec.MaxUnavailable == nil || *m.pdbs[0].Spec.MaxUnavailable != 1 {
		t.Errorf("want one PodDisruptionBudget with maxUnavailable: 1 selecting the pods")
	}
	cs := sts.Spec.Template.Spec.Containers
	if len(cs) != 1 || len(cs[0].Command) == 0 || len(cs[0].Ports) < 2 || len(cs[0].VolumeMounts) != 1 ||
		len(sts.Spec.VolumeClaimTemplates) != 1 || cs[0].VolumeMounts[0].Name != sts.Spec.VolumeClaimTemplates[0].Metadata.Name {
		t.Fatalf("want one container with a command, its client and raft ports, and the claim template's volume mounted")
	}
	c := cs[0]
	for what, p := range map[string]*k8sProbe{"startupProbe": c.StartupProbe, "livenessProbe": c.LivenessProbe,
		"readinessProbe": c.ReadinessProbe, "preStop": c.Lifecycle.PreStop} {
		if p == nil || p.Exec == nil || len(p.Exec.Command) == 0 || p.Exec.Command[0] != c.Command[0] {
			t.Errorf("%s must exec %s (the image has no shell)", what, c.Command[0])
		}
	}
	dockerfile, err := os.ReadFile(filepath.Join("..", "..", "Dockerfile"))
	if err != nil || !strings.Contains(string(dockerfile), " "+c.Command[0]+"\n") {
		t.Errorf("the Dockerfile does not install %s (%v)", c.Command[0], err)
	}
	return sts
}

// TestKubernetesManifestShape checks the manifest's objects alone.
func TestKubernetesManifestShape(t *testing.T) {
	checkManifestShape(t, readManifest(t, manifestPath))
}

// TestKubernetesPodsRollUnderLoad runs docs/kubernetes/geetcache.yaml's
// StatefulSet as three local processes with exactly the container's
// command and environment (k8s_manifest_test.go: host names and ports
// become loopback ports, the volume a directory that survives restarts),
// waits for its readiness probe on every pod, then, under a write load of
// one client per pod: kills the leader's pod with SIGKILL and restarts it
// on the same volume ("the pod is deleted and recreated"), then rolls the
// pods as a RollingUpdate does, highest ordinal first: preStop hook,
// SIGTERM, start, wait for ready; then rolls them again onto --join, with
// the "kubectl set env" of the manifest's header (docs/operations.md, step
// 3). No acknowledged write may be lost, every pod must still be a member,
// and the rolls may bring no UNCERTAIN reply (the SIGKILL may: a leader
// killed mid-commit leaves those outcomes unknown, and says so).
func TestKubernetesPodsRollUnderLoad(t *testing.T) {
	m := readManifest(t, manifestPath)
	sts := checkManifestShape(t, m)
	c := sts.Spec.Template.Spec.Containers[0]
	nw := &k8sNet{namespace: "geetcache-e2e", service: sts.Spec.ServiceName, set: sts.Metadata.Name, services: serviceTargets(m, c)}
	free := freePorts(t, len(c.Ports)*sts.Spec.Replicas)
	for ord := range sts.Spec.Replicas {
		nw.ports = append(nw.ports, map[int]int{})
		for i, p := range c.Ports {
			nw.ports[ord][p.ContainerPort] = free[ord*len(c.Ports)+i]
		}
	}
	pods := make([]*k8sPod, sts.Spec.Replicas)
	nodes := make([]*node, len(pods))
	for ord := range pods {
		pods[ord] = renderPod(t, sts, nw, ord, t.TempDir())
		nodes[ord] = pods[ord].node
		t.Logf("pod %s: %s %q env %q", pods[ord].name, c.Command[0], nodes[ord].args, pods[ord].env)
	}
	for _, p := range pods {
		p.node.launch()
	}
	for _, p := range pods {
		waitProbe(t, p, "startupProbe", c.StartupProbe)
		waitProbe(t, p, "readinessProbe", c.ReadinessProbe)
	}
	loads := make([]*writeLoad, len(nodes))
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i, n := range nodes {
		loads[i] = &writeLoad{n: n, id: i}
		wg.Add(1)
		go func() { defer wg.Done(); loads[i].run(stop) }()
	}
	stopLoads := sync.OnceFunc(func() { close(stop); wg.Wait() })
	defer stopLoads()
	progress := func() { waitProgress(t, loads) }
	progress()

	leader := waitForLeader(t, nodes, 10*time.Second)
	for _, p := range pods {
		if p.node == leader {
			t.Logf("deleting pod %s (the leader) with SIGKILL", p.name)
			p.node.Kill9()
			p.node.Restart()
			waitProbe(t, p, "readinessProbe", c.ReadinessProbe)
		}
	}
	progress()
	killUncertain := tallies(loads).uncertain

	grace := time.Duration(sts.Spec.Template.Spec.TerminationGracePeriodSeconds) * time.Second
	leaderRolls := rollPods(t, pods, c, grace, progress, nil)
	// Step 3 of docs/operations.md, as the manifest's header spells it: a
	// second rolling update, onto --join (the Service name standing for a
	// ready pod, as nw.services says).
	joined := sts
	jc := c
	jc.Env = kubectlSetEnv(t, c.Env, setEnvArgs(t, manifestPath))
	joined.Spec.Template.Spec.Containers = []k8sContainer{jc}
	leaderRolls += rollPods(t, pods, jc, grace, progress, func(ord int) *k8sPod {
		return renderPod(t, joined, nw, ord, pods[ord].node.dir)
	})
	stopLoads()
	total := tallies(loads)
	lost, appliedUnanswered := lostWrites(t, nodes, loads)
	if ms := raftMemberCount(t, waitForLeader(t, nodes, 10*time.Second)); ms != len(pods) {
		t.Errorf("the cluster has %d members after the rolls, want %d", ms, len(pods))
	}
	t.Logf("pod deletion (SIGKILL of the leader) and two rolling updates of 3 pods: %v, lost acknowledged writes=%d, "+
		"unanswered but applied=%d; UNCERTAIN during the SIGKILL: %d, during the rolls: %d",
		total, lost, appliedUnanswered, killUncertain, total.uncertain-killUncertain)
	if leaderRolls == 0 {
		t.Errorf("the roll stopped no leader")
	}
	if lost != 0 || total.uncertain != killUncertain {
		t.Errorf("want no lost write and no UNCERTAIN reply during the rolls; got %d lost, %d UNCERTAIN", lost, total.uncertain-killUncertain)
	}
}

// rollPods restarts the pods as a StatefulSet RollingUpdate does, highest
// ordinal first: preStop hook, SIGTERM (exit 0), start (with the pod
// rendered anew by rerender, when the template changed), readiness and
// liveness, then progress. It returns how many of them led when stopped.
func rollPods(t *testing.T, pods []*k8sPod, c k8sContainer, grace time.Duration, progress func(), rerender func(ord int) *k8sPod) int {
	t.Helper()
	leaders := 0
	for ord := len(pods) - 1; ord >= 0; ord-- {
		p := pods[ord]
		r, _ := role(p.node)
		if r == "master" {
			leaders++
		}
		start := time.Now()
		if err := p.execIn(t, "preStop", c.Lifecycle.PreStop, grace); err != nil {
			t.Errorf("%v", err)
		}
		handed := time.Since(start)
		if code := p.node.Term(); code != 0 {
			t.Errorf("pod %s exited with code %d after SIGTERM, want 0", p.name, code)
		}
		t.Logf("pod %s (%s): preStop took %v, stopped %v after it", p.name, r, handed.Round(time.Millisecond), (time.Since(start) - handed).Round(time.Millisecond))
		if rerender != nil {
			np := rerender(ord)
			p.node.args, p.node.env, p.env = np.node.args, np.node.env, np.env
			t.Logf("pod %s: new template: %q env %q", p.name, p.node.args, p.env)
		}
		p.node.Restart()
		waitProbe(t, p, "readinessProbe", c.ReadinessProbe)
		waitProbe(t, p, "livenessProbe", c.LivenessProbe)
		progress()
	}
	return leaders
}

// raftMemberCount is the number of members RAFT MEMBERS lists on n.
func raftMemberCount(t *testing.T, n *node) int {
	t.Helper()
	ms, err := n.Client(noRetries).Do(ctx, "RAFT", "MEMBERS").Slice()
	if err != nil {
		t.Fatalf("RAFT MEMBERS: %v", err)
	}
	return len(ms)
}

// waitProbe runs a probe the way the kubelet does until it passes (at
// most its period × failure threshold, and 30 s; polled faster).
func waitProbe(t *testing.T, p *k8sPod, what string, pr *k8sProbe) {
	t.Helper()
	timeout := time.Duration(max(pr.TimeoutSeconds, 1)) * time.Second
	limit := min(time.Duration(pr.PeriodSeconds*max(pr.FailureThreshold, 1))*time.Second, 30*time.Second)
	start := time.Now()
	waitFor(t, max(limit, 10*time.Second), func() error { return p.execIn(t, what, pr, timeout) })
	t.Logf("pod %s: %s passed after %v", p.name, what, time.Since(start).Round(time.Millisecond))
}

// tallies sums the loads' counts so far.
func tallies(loads []*writeLoad) loadTally {
	var total loadTally
	for _, l := range loads {
		l.mu.Lock()
		total.add(l.tal)
		l.mu.Unlock()
	}
	return total
}
