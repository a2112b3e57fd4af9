package io.telemetrysuite.cep.rule;

/** A comparison of a condition, as written in rule files. */
public enum Operator {
    GT(">"),
    GE(">="),
    LT("<"),
    LE("<="),
    EQ("=="),
    NE("!=");

    private final String symbol;

    Operator(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    /** The operator written {@code symbol}, or null. */
    public static Operator ofSymbol(String symbol) {
        for (Operator op : values()) {
            if (op.symbol.equals(symbol)) return op;
        }
        return null;
    }

    /** Whether {@code left op right} holds for numbers. */
    public boolean test(double left, double right) {
        return switch (this) {
            case GT -> left > right;
            case GE -> left >= right;
            case LT -> left < right;
            case LE -> left <= right;
            case EQ -> left == right;
            case NE -> left != right;
        };
    }

    /** Whether {@code left op right} holds for strings and booleans; only {@code ==} and {@code !=} apply. */
    public boolean test(String left, String right) {
        return switch (this) {
            case EQ -> left.equals(right);
            case NE -> !left.equals(right);
            default -> throw new IllegalStateException(symbol + " does not compare strings");
        };
    }

    /** Whether this operator orders values (and so applies to numbers only). */
    public boolean isOrdering() {
        return this != EQ && this != NE;
    }
}
