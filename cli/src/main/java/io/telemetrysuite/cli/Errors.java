package io.telemetrysuite.cli;

import java.nio.file.NoSuchFileException;

/** Turns the exceptions a user can cause into one clear line. */
final class Errors {
    private Errors() {}

    static String describe(Throwable e) {
        Throwable root = e;
        // Flink wraps what a job threw several times; the innermost message is the one that names the problem.
        while (root.getCause() != null && root.getCause() != root) {
            if (root instanceof NoSuchFileException) break;
            root = root.getCause();
        }
        if (root instanceof NoSuchFileException missing) {
            return "no such file or folder: " + missing.getFile();
        }
        String message = root.getMessage();
        return message != null ? message : root.toString();
    }
}
