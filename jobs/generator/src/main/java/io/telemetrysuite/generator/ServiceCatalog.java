package io.telemetrysuite.generator;

import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fixed shape of the synthetic system: services and the hosts they run on, the routes users call
 * and the call tree each route makes, and the user population. Everything here is built once and is
 * immutable, so the generator only fills in ids, times and the few attributes that vary.
 *
 * <p>frontend calls inventory (products), checkout (cart, checkout), auth (login) and assistant (an
 * LLM gateway); checkout calls payment over gRPC, inventory over HTTP and publishes to Kafka, where
 * shipping consumes; inventory and auth query Postgres, checkout queries Redis.
 */
final class ServiceCatalog {

    static final String[] HOSTS = {"host-1", "host-2", "host-3", "host-4", "host-5", "host-6", "host-7", "host-8"};

    /** A service's name, version and SDK language, and the hosts its instances run on. */
    static final class Service {
        final int index;
        final String name;
        final int[] hosts;
        /** One per instance, in {@link #hosts} order. */
        final Instance[] instances;

        Service(int index, String name, String version, String language, int[] hosts, List<Instance> all) {
            this.index = index;
            this.name = name;
            this.hosts = hosts;
            this.instances = new Instance[hosts.length];
            for (int i = 0; i < hosts.length; i++) {
                Instance inst = new Instance(all.size(), this, hosts[i], Resource.newBuilder()
                        .addAttributes(Otlp.kv("service.name", name))
                        .addAttributes(Otlp.kv("service.version", version))
                        .addAttributes(Otlp.kv("service.namespace", "shop"))
                        .addAttributes(Otlp.kv("service.instance.id", name + "-" + (i + 1)))
                        .addAttributes(Otlp.kv("deployment.environment.name", "production"))
                        .addAttributes(Otlp.kv("host.name", HOSTS[hosts[i]]))
                        .addAttributes(Otlp.kv("telemetry.sdk.name", "opentelemetry"))
                        .addAttributes(Otlp.kv("telemetry.sdk.language", language))
                        .build());
                instances[i] = inst;
                all.add(inst);
            }
        }
    }

    /** One running copy of a service: the unit OTLP calls a resource. */
    static final class Instance {
        final int index;
        final Service service;
        final int host;
        final Resource resource;

        Instance(int index, Service service, int host, Resource resource) {
            this.index = index;
            this.service = service;
            this.host = host;
            this.resource = resource;
        }
    }

    /** What a node's span represents; decides which attributes vary per call. */
    enum NodeType { HTTP_SERVER, HTTP_CLIENT, RPC_CLIENT, RPC_SERVER, DB, PRODUCER, CONSUMER, INTERNAL, GENAI }

    /** One span of a route's call tree. */
    static final class Node {
        final Service service;
        final int scope;
        final String name;
        final SpanKind kind;
        final NodeType type;
        /** Fraction of the parent's duration (of the route's duration for async nodes). */
        final double share;
        /** Starts after its parent ends (a Kafka consumer), instead of inside it. */
        final boolean async;
        final List<KeyValue> attributes;
        final Node[] children;
        /** Preorder position in the route, and the bits of this node and all its ancestors. */
        int index;
        long pathMask;

        Node(Service service, int scope, String name, SpanKind kind, NodeType type, double share, boolean async,
                List<KeyValue> attributes, Node[] children) {
            this.service = service;
            this.scope = scope;
            this.name = name;
            this.kind = kind;
            this.type = type;
            this.share = share;
            this.async = async;
            this.attributes = attributes;
            this.children = children;
        }
    }

    /** An entry point users call, with its latency distribution and the spans it may fail in. */
    static final class Route {
        final int index;
        final String method;
        final String path;
        final double weight;
        final double medianMs;
        final double sigma;
        /** Normal calls stay below it; slow calls exceed it. */
        final double slowThresholdMs;
        final Node root;
        final Node[] nodes;
        final Node[] errorSites;

        Route(int index, String method, String path, double weight, double medianMs, double sigma, Node root,
                Service... errorServices) {
            this.index = index;
            this.method = method;
            this.path = path;
            this.weight = weight;
            this.medianMs = medianMs;
            this.sigma = sigma;
            // e^(3 sigma) is the 99.87th percentile of the log-normal: almost no normal call needs redrawing.
            this.slowThresholdMs = medianMs * Math.exp(3 * sigma);
            this.root = root;
            List<Node> all = new ArrayList<>();
            number(root, 0L, all);
            if (all.size() > 64) throw new IllegalStateException("path masks hold 64 nodes");
            this.nodes = all.toArray(new Node[0]);
            List<Node> sites = new ArrayList<>();
            for (Service s : errorServices) sites.add(firstOf(s));
            for (Node n : nodes) {
                if (n.type == NodeType.DB || n.type == NodeType.GENAI) sites.add(n);
            }
            this.errorSites = sites.toArray(new Node[0]);
        }

        /** The first span the service serves in this route, or null when the route does not reach it. */
        Node firstOf(Service s) {
            for (Node n : nodes) {
                if (n.service == s && (n.type == NodeType.HTTP_SERVER || n.type == NodeType.RPC_SERVER)) return n;
            }
            return null;
        }

        private static void number(Node n, long parentMask, List<Node> out) {
            n.index = out.size();
            n.pathMask = parentMask | (1L << n.index);
            out.add(n);
            for (Node c : n.children) number(c, n.pathMask, out);
        }
    }

    final List<Instance> instances = new ArrayList<>();
    final List<InstrumentationScope> scopes = new ArrayList<>();
    private final Map<String, Integer> scopeIndex = new HashMap<>();

    final Service frontend;
    final Service checkout;
    final Service payment;
    final Service inventory;
    final Service auth;
    final Service assistant;
    final Service shipping;
    final Service[] services;
    final Route[] routes;
    /** Cumulative route weights, for drawing a route with one uniform number. */
    final double[] routeCdf;
    final Route login;
    final Route assistantRoute;

    static final String[] MODELS = {"llama-3-8b", "llama-3-70b", "mistral-7b-instruct", "qwen2.5-14b"};
    static final double[] MODEL_CDF = {0.5, 0.7, 0.9, 1.0};
    /** Rough watts drawn per model while generating, for the energy estimate. */
    static final double[] MODEL_WATTS = {350, 1400, 320, 600};
    static final String[] TENANTS = {"acme", "globex", "initech", "umbrella", "hooli"};

    private static final String[] FIRST = {"alice", "bob", "carol", "dana", "erik", "fatima", "george", "hana",
        "ivan", "julia", "kenji", "laura", "mehmet", "nina", "oscar", "priya", "quentin", "rosa", "sven", "tariq"};
    private static final String[] LAST = {"smith", "lee", "garcia", "nguyen", "muller", "rossi", "kowalski",
        "tanaka", "silva", "haddad", "novak", "okafor", "berg", "costa", "dubois", "ivanova", "khan", "larsen",
        "moreau", "yilmaz"};
    /** first.last@example.com for every pair: 400 users, e-mails as identifiers (PII for the privacy tests). */
    final String[] userEmails;
    final KeyValue[] userIdKvs;
    /** Each user's usual client address, from the documentation ranges (they look like real public IPs). */
    final String[] userIps;
    final KeyValue[] userIpKvs;

    ServiceCatalog() {
        List<Service> svc = new ArrayList<>();
        frontend = service(svc, "frontend", "2.4.1", "nodejs", 0, 1);
        checkout = service(svc, "checkout", "1.9.0", "go", 2);
        payment = service(svc, "payment", "3.2.0", "java", 3);
        inventory = service(svc, "inventory", "1.14.2", "java", 4);
        auth = service(svc, "auth", "0.9.3", "python", 5);
        assistant = service(svc, "assistant", "0.3.0", "python", 6);
        shipping = service(svc, "shipping", "1.1.0", "dotnet", 7);
        services = svc.toArray(new Service[0]);

        Route products = new Route(0, "GET", "/api/products", 0.40, 40, 0.5,
                entry("GET", "/api/products", 0.8,
                        httpClient(frontend, "GET", inventory, 8080, "/inventory/items", 0.9,
                                httpServer(inventory, "io.opentelemetry.tomcat-10.0", "GET", "/inventory/items", 8080, 0.95,
                                        db(inventory, "io.opentelemetry.jdbc", "postgresql", "shop", "SELECT", "products",
                                                "SELECT id, name, price FROM products WHERE category = ?", 0.6)))),
                inventory);
        Route cart = new Route(1, "GET", "/api/cart", 0.15, 15, 0.4,
                entry("GET", "/api/cart", 0.8,
                        httpClient(frontend, "GET", checkout, 8080, "/cart", 0.9,
                                httpServer(checkout, "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp", "GET", "/cart", 8080, 0.95,
                                        db(checkout, "github.com/redis/go-redis/extra/redisotel", "redis", "0", "HGETALL", "cart",
                                                "HGETALL cart:?", 0.5)))),
                checkout);
        String grpcScopeGo = "go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc";
        Route checkoutRoute = new Route(2, "POST", "/api/checkout", 0.20, 180, 0.55,
                entry("POST", "/api/checkout", 0.9,
                        httpClient(frontend, "POST", checkout, 8080, "/checkout", 0.95,
                                httpServer(checkout, "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp", "POST", "/checkout", 8080, 0.95,
                                        internal(checkout, "checkout", "price cart", 0.05),
                                        rpc(checkout, grpcScopeGo, SpanKind.SPAN_KIND_CLIENT, payment, "Charge", 0.45,
                                                rpc(payment, "io.opentelemetry.grpc-1.6", SpanKind.SPAN_KIND_SERVER, payment, "Charge", 0.9)),
                                        httpClient(checkout, "POST", inventory, 8080, "/inventory/reserve", 0.3,
                                                httpServer(inventory, "io.opentelemetry.tomcat-10.0", "POST", "/inventory/reserve", 8080, 0.9,
                                                        db(inventory, "io.opentelemetry.jdbc", "postgresql", "shop", "UPDATE", "stock",
                                                                "UPDATE stock SET reserved = reserved + ? WHERE sku = ?", 0.7))),
                                        producer(checkout, "github.com/IBM/sarama/otelsarama", "orders", 0.03,
                                                consumer(shipping, "OpenTelemetry.Instrumentation.ConfluentKafka", "orders", 0.3,
                                                        internal(shipping, "Shipping.Orders", "create shipment", 0.7)))))),
                payment, inventory);
        login = new Route(3, "POST", "/api/login", 0.15, 60, 0.45,
                entry("POST", "/api/login", 0.85,
                        httpClient(frontend, "POST", auth, 8000, "/login", 0.95,
                                httpServer(auth, "opentelemetry.instrumentation.fastapi", "POST", "/login", 8000, 0.95,
                                        db(auth, "opentelemetry.instrumentation.psycopg", "postgresql", "auth", "SELECT", "users",
                                                "SELECT id, password_hash FROM users WHERE email = %s", 0.3),
                                        internal(auth, "auth.passwords", "verify password", 0.5)))),
                auth);
        assistantRoute = new Route(4, "POST", "/api/assistant", 0.10, 1200, 0.6,
                entry("POST", "/api/assistant", 0.95,
                        httpClient(frontend, "POST", assistant, 8000, "/v1/chat", 0.98,
                                httpServer(assistant, "opentelemetry.instrumentation.fastapi", "POST", "/v1/chat", 8000, 0.98,
                                        genAi(assistant, 0.92)))),
                assistant);
        routes = new Route[] {products, cart, checkoutRoute, login, assistantRoute};
        routeCdf = new double[routes.length];
        double total = 0;
        for (Route r : routes) total += r.weight;
        double acc = 0;
        for (int i = 0; i < routes.length; i++) {
            acc += routes[i].weight / total;
            routeCdf[i] = acc;
        }
        routeCdf[routes.length - 1] = 1.0;

        userEmails = new String[FIRST.length * LAST.length];
        userIdKvs = new KeyValue[userEmails.length];
        userIps = new String[userEmails.length];
        userIpKvs = new KeyValue[userEmails.length];
        for (int i = 0; i < userEmails.length; i++) {
            userEmails[i] = FIRST[i / LAST.length] + "." + LAST[i % LAST.length] + "@example.com";
            userIdKvs[i] = Otlp.kv("enduser.id", userEmails[i]);
            userIps[i] = (i < 254 ? "203.0.113." : "198.51.100.") + (i % 254 + 1);
            userIpKvs[i] = Otlp.kv("client.address", userIps[i]);
        }
    }

    Service service(String name) {
        for (Service s : services) {
            if (s.name.equals(name)) return s;
        }
        return null;
    }

    int user(String email) {
        for (int i = 0; i < userEmails.length; i++) {
            if (userEmails[i].equals(email)) return i;
        }
        return -1;
    }

    /** The instance serving a host's system samples: every host runs exactly one. */
    Instance instanceOnHost(int host) {
        for (Instance i : instances) {
            if (i.host == host) return i;
        }
        throw new IllegalStateException("no instance on " + HOSTS[host]);
    }

    private Service service(List<Service> out, String name, String version, String language, int... hosts) {
        Service s = new Service(out.size(), name, version, language, hosts, instances);
        out.add(s);
        return s;
    }

    private int scope(String name) {
        return scopeIndex.computeIfAbsent(name, n -> {
            scopes.add(InstrumentationScope.newBuilder().setName(n).build());
            return scopes.size() - 1;
        });
    }

    private Node entry(String method, String route, double childShare, Node child) {
        List<KeyValue> a = List.of(
                Otlp.kv("http.request.method", method), Otlp.kv("http.route", route), Otlp.kv("url.path", route),
                Otlp.kv("url.scheme", "https"), Otlp.kv("server.address", "shop.example.com"), Otlp.kv("server.port", 443L),
                Otlp.kv("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"));
        return new Node(frontend, scope("@opentelemetry/instrumentation-http"), method + " " + route,
                SpanKind.SPAN_KIND_SERVER, NodeType.HTTP_SERVER, childShare, false, a, new Node[] {child});
    }

    private Node httpClient(Service from, String method, Service to, int port, String path, double share, Node child) {
        String scope = from == frontend ? "@opentelemetry/instrumentation-http"
                : "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp";
        List<KeyValue> a = List.of(
                Otlp.kv("http.request.method", method), Otlp.kv("server.address", to.name), Otlp.kv("server.port", (long) port),
                Otlp.kv("url.full", "http://" + to.name + ":" + port + path), Otlp.kv("peer.service", to.name));
        return new Node(from, scope(scope), method, SpanKind.SPAN_KIND_CLIENT, NodeType.HTTP_CLIENT, share, false, a,
                new Node[] {child});
    }

    private Node httpServer(Service s, String scope, String method, String route, int port, double share, Node... children) {
        List<KeyValue> a = List.of(
                Otlp.kv("http.request.method", method), Otlp.kv("http.route", route), Otlp.kv("url.path", route),
                Otlp.kv("url.scheme", "http"), Otlp.kv("server.address", s.name), Otlp.kv("server.port", (long) port));
        return new Node(s, scope(scope), method + " " + route, SpanKind.SPAN_KIND_SERVER, NodeType.HTTP_SERVER, share,
                false, a, children);
    }

    private Node rpc(Service s, String scope, SpanKind kind, Service server, String method, double share, Node... children) {
        List<KeyValue> a = new ArrayList<>(List.of(
                Otlp.kv("rpc.system", "grpc"), Otlp.kv("rpc.service", "payment.PaymentService"), Otlp.kv("rpc.method", method),
                Otlp.kv("server.address", server.name), Otlp.kv("server.port", 50051L)));
        if (kind == SpanKind.SPAN_KIND_CLIENT) a.add(Otlp.kv("peer.service", server.name));
        return new Node(s, scope(scope), "payment.PaymentService/" + method, kind,
                kind == SpanKind.SPAN_KIND_CLIENT ? NodeType.RPC_CLIENT : NodeType.RPC_SERVER, share, false, List.copyOf(a), children);
    }

    private Node db(Service s, String scope, String system, String namespace, String operation, String collection,
            String query, double share) {
        boolean redis = system.equals("redis");
        String server = redis ? "redis-0" : "postgres-0";
        List<KeyValue> a = List.of(
                Otlp.kv("db.system.name", system), Otlp.kv("db.namespace", namespace), Otlp.kv("db.operation.name", operation),
                Otlp.kv("db.collection.name", collection), Otlp.kv("db.query.text", query), Otlp.kv("server.address", server),
                Otlp.kv("server.port", redis ? 6379L : 5432L), Otlp.kv("peer.service", redis ? "redis" : "postgres"));
        return new Node(s, scope(scope), operation + " " + collection, SpanKind.SPAN_KIND_CLIENT, NodeType.DB, share,
                false, a, new Node[0]);
    }

    private Node producer(Service s, String scope, String topic, double share, Node consumer) {
        List<KeyValue> a = List.of(
                Otlp.kv("messaging.system", "kafka"), Otlp.kv("messaging.destination.name", topic),
                Otlp.kv("messaging.operation.type", "send"), Otlp.kv("messaging.operation.name", "send"),
                Otlp.kv("server.address", "kafka-0"), Otlp.kv("peer.service", "kafka"));
        return new Node(s, scope(scope), "send " + topic, SpanKind.SPAN_KIND_PRODUCER, NodeType.PRODUCER, share, false, a,
                new Node[] {consumer});
    }

    private Node consumer(Service s, String scope, String topic, double share, Node child) {
        List<KeyValue> a = List.of(
                Otlp.kv("messaging.system", "kafka"), Otlp.kv("messaging.destination.name", topic),
                Otlp.kv("messaging.operation.type", "process"), Otlp.kv("messaging.operation.name", "process"),
                Otlp.kv("messaging.consumer.group.name", s.name));
        return new Node(s, scope(scope), "process " + topic, SpanKind.SPAN_KIND_CONSUMER, NodeType.CONSUMER, share, true,
                a, new Node[] {child});
    }

    private Node internal(Service s, String scope, String name, double share) {
        return new Node(s, scope(scope), name, SpanKind.SPAN_KIND_INTERNAL, NodeType.INTERNAL, share, false, List.of(),
                new Node[0]);
    }

    private Node genAi(Service s, double share) {
        List<KeyValue> a = List.of(
                Otlp.kv("gen_ai.operation.name", "chat"), Otlp.kv("gen_ai.provider.name", "vllm"),
                Otlp.kv("server.address", "vllm-0"), Otlp.kv("server.port", 8000L));
        // The name is "chat {model}", chosen per call.
        return new Node(s, scope("opentelemetry.instrumentation.openai_v2"), "chat", SpanKind.SPAN_KIND_CLIENT,
                NodeType.GENAI, share, false, a, new Node[0]);
    }
}
