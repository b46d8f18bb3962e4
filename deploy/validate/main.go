// Command validate checks sweep's deployment files with the real parsers of their tools, where
// no Docker engine or Kubernetes cluster is at hand:
//
//	go run ./deploy/validate compose deploy/compose/docker-compose.yml
//	go run ./deploy/validate kubernetes deploy/kubernetes/*.yaml
//
// compose: the Compose Specification loader docker compose itself uses (compose-go), with the
// variables the file requires set to placeholders, then sweep's own expectations (every sweep
// service knows where Temporal and NATS are; GPU workers reserve GPUs; only loopback is published).
// kubernetes: every document decoded strictly into its Kubernetes API type (an unknown field or a
// wrong type fails), then the same kind of expectations (selectors match, referenced ConfigMaps and
// Secrets exist, GPU workers ask for nvidia.com/gpu, containers have limits).
// It prints one line per problem and exits 1 if there is any.
package main

import (
	"context"
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: validate compose FILE | validate kubernetes FILE...")
		os.Exit(2)
	}
	var problems []string
	var err error
	switch os.Args[1] {
	case "compose":
		problems, err = checkCompose(context.Background(), os.Args[2])
	case "kubernetes":
		problems, err = checkKubernetes(os.Args[2:])
	default:
		fmt.Fprintf(os.Stderr, "validate: unknown kind %q (compose or kubernetes)\n", os.Args[1])
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "validate: %v\n", err)
		os.Exit(1)
	}
	for _, p := range problems {
		fmt.Println(p)
	}
	if len(problems) > 0 {
		os.Exit(1)
	}
	fmt.Printf("validate %s: ok\n", os.Args[1])
}
