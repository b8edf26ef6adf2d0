"""What a run is loaded with: crmflags.yaml, YAML files with line numbers, and the plugins."""
