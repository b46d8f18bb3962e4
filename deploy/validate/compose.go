package main

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
)

// The variables the compose file requires (${VAR:?...}), set to placeholders for parsing.
var composeEnv = []string{
	"NATS_PASSWORD=placeholder",
	"TEMPORAL_DB_PASSWORD=placeholder",
	"GRAFANA_ADMIN_PASSWORD=placeholder",
	"SWEEP_ALERT_TOKEN=placeholder",
}

func checkCompose(ctx context.Context, file string) ([]string, error) {
	options, err := cli.NewProjectOptions([]string{file}, cli.WithEnv(composeEnv), cli.WithResolvedPaths(true), cli.WithProfiles([]string{"cli"}))
	if err != nil {
		return nil, err
	}
	project, err := options.LoadProject(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(file+": "+format, args...)) }
	names := make([]string, 0, len(project.Services))
	for name := range project.Services {
		names = append(names, name)
	}
	sort.Strings(names)
	sweepServices := 0
	for _, name := range names {
		svc := project.Services[name]
		for _, port := range svc.Ports {
			if port.HostIP != "127.0.0.1" {
				bad("services.%s.ports: port %s is published on %q (all addresses when empty); publish on 127.0.0.1 only", name, port.Published, port.HostIP)
			}
		}
		if !strings.HasPrefix(svc.Image, "sweep:") {
			continue
		}
		sweepServices++
		for _, key := range []string{"TEMPORAL_ADDRESS", "NATS_URL", "NATS_USER", "NATS_PASSWORD"} {
			if v, ok := svc.Environment[key]; !ok || v == nil || *v == "" {
				bad("services.%s.environment: %s is not set", name, key)
			}
		}
		if strings.Contains(strings.Join(svc.Command, " "), "--queue gpu") {
			if !reservesGPU(svc) {
				bad("services.%s: a gpu worker without deploy.resources.reservations.devices [capabilities: gpu]", name)
			}
		}
	}
	if sweepServices == 0 {
		bad("no service runs a sweep image")
	}
	return problems, nil
}

func reservesGPU(svc types.ServiceConfig) bool {
	if svc.Deploy == nil || svc.Deploy.Resources.Reservations == nil {
		return false
	}
	for _, device := range svc.Deploy.Resources.Reservations.Devices {
		for _, capability := range device.Capabilities {
			if capability == "gpu" {
				return true
			}
		}
	}
	return false
}
