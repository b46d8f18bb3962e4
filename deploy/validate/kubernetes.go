package main

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

type typeMeta struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
}

type manifests struct {
	deployments []appsv1.Deployment
	configMaps  map[string]bool
	secrets     map[string]bool
}

// newObject is the API type of each kind these manifests may hold.
func newObject(t typeMeta) (any, bool) {
	switch t.APIVersion + "/" + t.Kind {
	case "v1/Namespace":
		return &corev1.Namespace{}, true
	case "v1/ConfigMap":
		return &corev1.ConfigMap{}, true
	case "v1/Secret":
		return &corev1.Secret{}, true
	case "v1/Service":
		return &corev1.Service{}, true
	case "apps/v1/Deployment":
		return &appsv1.Deployment{}, true
	}
	return nil, false
}

func checkKubernetes(files []string) ([]string, error) {
	var problems []string
	m := manifests{configMaps: map[string]bool{}, secrets: map[string]bool{}}
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		for i, doc := range bytes.Split(raw, []byte("\n---")) {
			where := fmt.Sprintf("%s (document %d)", file, i+1)
			if len(bytes.TrimSpace(doc)) == 0 {
				continue
			}
			var meta typeMeta
			if err := yaml.Unmarshal(doc, &meta); err != nil {
				problems = append(problems, fmt.Sprintf("%s: %v", where, err))
				continue
			}
			obj, known := newObject(meta)
			if !known {
				problems = append(problems, fmt.Sprintf("%s: %s %s is not a kind these manifests should hold", where, meta.APIVersion, meta.Kind))
				continue
			}
			// Strict: an unknown or misspelt field, or a value of the wrong type, is an error.
			if err := yaml.UnmarshalStrict(doc, obj); err != nil {
				problems = append(problems, fmt.Sprintf("%s: %s: %v", where, meta.Kind, err))
				continue
			}
			switch o := obj.(type) {
			case *appsv1.Deployment:
				m.deployments = append(m.deployments, *o)
			case *corev1.ConfigMap:
				m.configMaps[o.Name] = true
			case *corev1.Secret:
				m.secrets[o.Name] = true
			}
		}
	}
	for _, d := range m.deployments {
		problems = append(problems, checkDeployment(d, m)...)
	}
	return problems, nil
}

func checkDeployment(d appsv1.Deployment, m manifests) []string {
	var problems []string
	bad := func(format string, args ...any) {
		problems = append(problems, fmt.Sprintf("Deployment %s: "+format, append([]any{d.Name}, args...)...))
	}
	if d.Spec.Selector == nil {
		bad("no selector")
	} else {
		for k, v := range d.Spec.Selector.MatchLabels {
			if d.Spec.Template.Labels[k] != v {
				bad("selector %s=%s does not match the pod template's labels", k, v)
			}
		}
	}
	for _, c := range d.Spec.Template.Spec.Containers {
		for _, from := range c.EnvFrom {
			if from.ConfigMapRef != nil && !m.configMaps[from.ConfigMapRef.Name] {
				bad("container %s reads ConfigMap %s, which no manifest defines", c.Name, from.ConfigMapRef.Name)
			}
			if from.SecretRef != nil && !m.secrets[from.SecretRef.Name] {
				bad("container %s reads Secret %s, which no manifest defines (not even as an example)", c.Name, from.SecretRef.Name)
			}
		}
		if c.Resources.Limits.Cpu().IsZero() || c.Resources.Limits.Memory().IsZero() {
			bad("container %s has no cpu and memory limits", c.Name)
		}
		gpuWorker := strings.Contains(strings.Join(c.Args, " "), "--queue gpu")
		gpus := c.Resources.Limits[corev1.ResourceName("nvidia.com/gpu")]
		if gpuWorker && gpus.IsZero() {
			bad("container %s serves the gpu queue without an nvidia.com/gpu limit", c.Name)
		}
		if !gpuWorker && !gpus.IsZero() {
			bad("container %s takes a GPU but does not serve the gpu queue", c.Name)
		}
	}
	return problems
}
