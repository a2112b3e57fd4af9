/**
 * Strict, typed reading of the suite's YAML files (semantic-convention registries, privacy policies,
 * CEP rule files, job configurations) with errors that name file, line, column and field.
 *
 * <p>Start with {@link io.telemetrysuite.config.YamlConfig#load(java.nio.file.Path)} or {@link
 * io.telemetrysuite.config.YamlConfig#loadResource(String)}, then read the returned {@link
 * io.telemetrysuite.config.ConfigNode} into the caller's own immutable settings classes; config nodes
 * are for reading at startup, not for keeping.
 */
package io.telemetrysuite.config;
