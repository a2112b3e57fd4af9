/**
 * The rule model: what one rule file entry in {@code cep-rules/} says, after validation. The file
 * format is documented in {@code cep-rules/README.md}; {@link io.telemetrysuite.cep.rule.RuleLoader}
 * reads it, {@link io.telemetrysuite.cep.rule.EventFields} names the fields a rule can match on.
 */
package io.telemetrysuite.cep.rule;
