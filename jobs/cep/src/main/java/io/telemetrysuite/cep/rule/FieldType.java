package io.telemetrysuite.cep.rule;

/** The type of an event field, which decides the operators and literal values a condition may use. */
public enum FieldType {
    NUMBER,
    STRING,
    BOOLEAN
}
