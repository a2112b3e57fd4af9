package io.telemetrysuite.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.annotation.Nullable;

/**
 * The calls {@code ./telemetry} makes to a Flink cluster's REST API: upload and run a jar, list jobs,
 * trigger a savepoint, stop with a savepoint, and wait for those asynchronous operations. Errors
 * carry Flink's own reason.
 */
public final class FlinkRest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public FlinkRest(String url) {
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public String url() {
        return url;
    }

    /** A job as {@code /jobs/overview} lists it. */
    public record Job(String id, String name, String state, Instant startTime) {
        public boolean isRunning() {
            return state.equals("RUNNING") || state.equals("CREATED") || state.equals("INITIALIZING") || state.equals("RESTARTING");
        }
    }

    /** Every job the cluster knows, running and finished, newest first. */
    public List<Job> jobs() {
        List<Job> jobs = new ArrayList<>();
        for (JsonNode j : get("/jobs/overview").path("jobs")) {
            jobs.add(new Job(j.path("jid").asText(), j.path("name").asText(), j.path("state").asText(),
                    Instant.ofEpochMilli(j.path("start-time").asLong())));
        }
        jobs.sort((a, b) -> b.startTime().compareTo(a.startTime()));
        return jobs;
    }

    /** The running (or starting, or restarting) job of this name, if any. */
    public Optional<Job> runningJob(String name) {
        return jobs().stream().filter(j -> j.name().equals(name) && j.isRunning()).findFirst();
    }

    /** Uploads a jar; returns the id {@link #run} takes. */
    public String upload(Path jar) {
        String boundary = "----telemetry" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\"" + jar.getFileName()
                    + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(Files.readAllBytes(jar));
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read job jar " + jar + ": " + e.getMessage(), e);
        }
        JsonNode answer = send("/jars/upload", HttpRequest.newBuilder(URI.create(url + "/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        String file = answer.path("filename").asText();
        if (file.isEmpty()) throw new IllegalStateException("Flink did not accept " + jar + ": " + answer);
        return Path.of(file).getFileName().toString();
    }

    /**
     * Runs an uploaded jar's entry class; the job's {@code main} runs in the JobManager.
     *
     * @param parallelism null for the job's own default
     * @param savepointPath null to start without state
     * @return the job id
     */
    public String run(String jarId, String entryClass, List<String> args, @Nullable Integer parallelism, @Nullable String savepointPath) {
        // Every operator has a uid: state that maps to nothing is a mistake to report, not to drop.
        return run(jarId, entryClass, args, parallelism, savepointPath, false);
    }

    /**
     * As above; {@code allowNonRestoredState} lets the job start although the savepoint holds state of
     * operators it no longer has (what {@code rules apply} needs: a removed or edited rule's operator).
     */
    public String run(String jarId, String entryClass, List<String> args, @Nullable Integer parallelism, @Nullable String savepointPath,
                      boolean allowNonRestoredState) {
        ObjectNode request = JSON.createObjectNode();
        request.put("entryClass", entryClass);
        request.putArray("programArgsList").addAll(args.stream().map(JSON.getNodeFactory()::textNode).toList());
        if (parallelism != null) request.put("parallelism", parallelism);
        if (savepointPath != null) {
            request.put("savepointPath", savepointPath);
            request.put("allowNonRestoredState", allowNonRestoredState);
        }
        JsonNode answer = post("/jars/" + jarId + "/run", request, Duration.ofMinutes(5));
        return answer.path("jobid").asText();
    }

    /** The job's user parameters ({@code setGlobalJobParameters}) and parallelism, as {@code /jobs/:id/config} reports them. */
    public JsonNode jobConfig(String jobId) {
        return get("/jobs/" + jobId + "/config");
    }

    /** The job's state now. */
    public String state(String jobId) {
        return get("/jobs/" + jobId).path("state").asText();
    }

    /** Triggers a savepoint (into the cluster's savepoint directory) and waits for it; returns its path. */
    public String savepoint(String jobId, Duration timeout) {
        ObjectNode request = JSON.createObjectNode();
        request.put("cancel-job", false);
        JsonNode answer = post("/jobs/" + jobId + "/savepoints", request, Duration.ofSeconds(30));
        return awaitSavepoint(jobId, answer.path("request-id").asText(), timeout, "savepoint");
    }

    /** Stops the job with a savepoint (its sources stop, its sinks commit) and waits; returns the savepoint's path. */
    public String stopWithSavepoint(String jobId, Duration timeout) {
        ObjectNode request = JSON.createObjectNode();
        request.put("drain", false);
        JsonNode answer = post("/jobs/" + jobId + "/stop", request, Duration.ofSeconds(30));
        String path = awaitSavepoint(jobId, answer.path("request-id").asText(), timeout, "stop-with-savepoint");
        awaitState(jobId, "FINISHED", timeout);
        return path;
    }

    /** Waits until the job reaches {@code state}; fails if it reaches another terminal state. */
    public void awaitState(String jobId, String state, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String now = "";
        while (System.nanoTime() < deadline) {
            now = state(jobId);
            if (now.equals(state)) return;
            if (!state.equals("FAILED") && (now.equals("FAILED") || now.equals("CANCELED"))) {
                throw new IllegalStateException("Job " + jobId + " is " + now + ", not " + state + ": see " + url + "/#/job/completed/" + jobId);
            }
            sleep(250);
        }
        throw new IllegalStateException("Job " + jobId + " did not reach " + state + " within " + timeout.toSeconds() + " s (it is " + now + ")");
    }

    private String awaitSavepoint(String jobId, String triggerId, Duration timeout, String what) {
        if (triggerId.isEmpty()) throw new IllegalStateException("Flink did not start a " + what + " for job " + jobId);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode answer = get("/jobs/" + jobId + "/savepoints/" + triggerId);
            if (answer.path("status").path("id").asText().equals("COMPLETED")) {
                JsonNode operation = answer.path("operation");
                if (operation.has("failure-cause")) {
                    JsonNode cause = operation.path("failure-cause");
                    throw new IllegalStateException("The " + what + " of job " + jobId + " failed: " + rootCause(cause));
                }
                return operation.path("location").asText();
            }
            sleep(250);
        }
        throw new IllegalStateException("The " + what + " of job " + jobId + " did not complete within " + timeout.toSeconds() + " s");
    }

    /** Flink serializes the exception's class, message and stack trace; the innermost "Caused by" names the problem. */
    private static String rootCause(JsonNode cause) {
        String trace = cause.path("stack-trace").asText("");
        String last = null;
        for (String line : trace.split("\n")) {
            if (line.startsWith("Caused by: ")) last = line.substring("Caused by: ".length());
        }
        if (last != null) return last;
        String first = trace.lines().findFirst().orElse("");
        return first.isEmpty() ? cause.toString() : first;
    }

    private JsonNode get(String path) {
        return send(path, HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30)).GET());
    }

    private JsonNode post(String path, JsonNode body, Duration timeout) {
        return send(path, HttpRequest.newBuilder(URI.create(url + path))
                .header("Content-Type", "application/json")
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)));
    }

    private JsonNode send(String path, HttpRequest.Builder request) {
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            // No cause attached: the CLI prints the innermost cause, and this sentence is the useful one.
            throw new IllegalStateException("No Flink cluster answers at " + url + ". Start one with `./telemetry cluster start`.");
        } catch (IOException e) {
            throw new IllegalStateException("Flink at " + url + " did not answer " + path + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while calling Flink " + path, e);
        }
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("Flink " + path + " answered " + response.statusCode() + " with a body that is not JSON: " + response.body());
        }
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("Flink " + path + " answered " + response.statusCode() + ": " + errors(json));
        }
        return json;
    }

    /** Flink's error body: {"errors": ["message", "stack trace ..."]}; the first line of each is enough. */
    private static String errors(JsonNode json) {
        List<String> lines = new ArrayList<>();
        for (JsonNode e : json.path("errors")) {
            String text = e.asText();
            // A stack trace's innermost cause names the problem; the first line says where it surfaced.
            String cause = null;
            for (String line : text.split("\n")) if (line.startsWith("Caused by: ")) cause = line.substring(11);
            lines.add(cause != null ? cause : text.lines().findFirst().orElse(text));
        }
        return lines.isEmpty() ? json.toString() : String.join("; ", lines);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Flink", e);
        }
    }
}
