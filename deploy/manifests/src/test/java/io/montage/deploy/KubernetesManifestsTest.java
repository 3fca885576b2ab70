package io.montage.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * deploy/k8s as kubectl applies it: {@code kubectl kustomize deploy/k8s} (client side, no cluster), each built-in
 * object strictly typed by fabric8's model, each KEDA object against KEDA's CRD schema, then the references between
 * objects and what Montage needs of them (probes on the real endpoints, the GPU pool, the scalers).
 */
class KubernetesManifestsTest {

    private static final CrdSchemas CRDS = new CrdSchemas("keda.sh_scaledobjects.yaml",
            "keda.sh_triggerauthentications.yaml", "postgresql.cnpg.io_clusters.yaml");
    private static List<JsonNode> objects;

    @BeforeAll
    static void build() {
        assumeTrue(Manifests.installed("kubectl"), "kubectl is not installed: deploy/k8s is not built");
        Manifests.Result built = Manifests.run(List.of("kubectl", "kustomize", "deploy/k8s"));
        assertEquals(0, built.status(), built.output());
        objects = Manifests.yaml(built.output());
    }

    @Test
    void everyObjectIsWellFormed() {
        List<String> problems = new ArrayList<>();
        for (JsonNode object : objects) {
            problems.addAll(CRDS.knows(object) ? CRDS.validate(object) : TypedKubernetes.problems(object));
        }
        assertEquals(List.of(), problems);
        assertEquals(Set.of("Namespace", "ConfigMap", "Secret", "Service", "PersistentVolumeClaim", "Deployment",
                "PodDisruptionBudget", "Job", "ScaledObject", "TriggerAuthentication"),
                objects.stream().map(o -> o.get("kind").asText()).collect(Collectors.toSet()));
    }

    @Test
    void theChecksRefuseMistakes() {
        ObjectNode deployment = named("Deployment", "montage-api").deepCopy();
        ((ObjectNode) deployment.get("spec")).put("replica", 2);
        assertFalse(TypedKubernetes.problems(deployment).isEmpty(), "a misspelt field of a built-in kind");
        ObjectNode scaler = named("ScaledObject", "montage-worker-gpu").deepCopy();
        ((ObjectNode) scaler.get("spec")).put("minReplicas", 0);
        assertFalse(CRDS.validate(scaler).isEmpty(), "a misspelt field of a KEDA object");
    }

    @Test
    void theSampleCloudNativePgClusterMatchesItsCrd() {
        JsonNode cluster = Manifests.yaml(Manifests.read(Manifests.file("deploy/k8s/postgres-ha/cluster.yaml"))).getFirst();
        assertEquals(List.of(), CRDS.validate(cluster));
        assertEquals("montage-db", cluster.at("/metadata/name").asText(), "montage-db-rw is the host the others use");
    }

    @Test
    void probesAskTheEndpointsEachProcessServes() {
        JsonNode api = container("montage-api");
        assertEquals("/ready", api.at("/readinessProbe/httpGet/path").asText());
        assertEquals("/health", api.at("/livenessProbe/httpGet/path").asText());
        assertEquals("/health", api.at("/startupProbe/httpGet/path").asText());
        assertEquals(8080, port(api, api.at("/readinessProbe/httpGet/port").asText()));
        for (String worker : List.of("montage-worker-cpu", "montage-worker-gpu")) {
            JsonNode container = container(worker);
            assertEquals("/-/healthy", container.at("/livenessProbe/httpGet/path").asText(), worker);
            assertEquals(8086, port(container, container.at("/livenessProbe/httpGet/port").asText()), worker);
        }
        JsonNode console = container("montage-console");
        assertEquals("/login", console.at("/readinessProbe/httpGet/path").asText());
        assertEquals(8081, port(console, console.at("/readinessProbe/httpGet/port").asText()));
    }

    @Test
    void gpuWorkersLandOnGpuNodesWithAGpuEach() {
        JsonNode pod = named("Deployment", "montage-worker-gpu").at("/spec/template/spec");
        assertEquals("true", pod.at("/nodeSelector/nvidia.com~1gpu.present").asText());
        JsonNode container = container("montage-worker-gpu");
        assertEquals("1", container.at("/resources/limits/nvidia.com~1gpu").asText());
        assertEquals("gpu", env(container).get("MONTAGE_INFERENCE_DEVICE"));
        assertFalse(container("montage-worker-cpu").at("/resources/limits").has("nvidia.com/gpu"));
    }

    @Test
    void everyReferenceResolves() {
        Set<String> wrong = new TreeSet<>();
        for (JsonNode deployment : all("Deployment")) {
            String name = deployment.at("/metadata/name").asText();
            JsonNode labels = deployment.at("/spec/template/metadata/labels");
            deployment.at("/spec/selector/matchLabels").properties().forEach(label -> {
                if (!label.getValue().equals(labels.get(label.getKey()))) {
                    wrong.add(name + ": its selector does not select its own pods");
                }
            });
            for (JsonNode container : deployment.at("/spec/template/spec/containers")) {
                for (JsonNode source : container.path("envFrom")) {
                    source.properties().forEach(ref -> {
                        String kind = ref.getKey().equals("configMapRef") ? "ConfigMap" : "Secret";
                        if (find(kind, ref.getValue().get("name").asText()) == null) {
                            wrong.add(name + " reads " + kind + " " + ref.getValue().get("name").asText() + ", which is not there");
                        }
                    });
                }
            }
        }
        for (JsonNode service : all("Service")) {
            List<JsonNode> pods = selected(service.at("/spec/selector"));
            if (pods.isEmpty()) {
                wrong.add("Service " + service.at("/metadata/name").asText() + " selects no pod");
            }
            for (JsonNode servicePort : service.at("/spec/ports")) {
                String target = servicePort.get("targetPort").asText();
                for (JsonNode pod : pods) {
                    if (pod.at("/spec/containers").findValues("ports").stream().flatMap(p -> Manifests.elements(p).stream())
                            .noneMatch(p -> p.get("name").asText().equals(target))) {
                        wrong.add("Service " + service.at("/metadata/name").asText() + " targets port " + target
                                + ", which a pod it selects does not have");
                    }
                }
            }
        }
        for (JsonNode budget : all("PodDisruptionBudget")) {
            if (selected(budget.at("/spec/selector/matchLabels")).isEmpty()) {
                wrong.add("PodDisruptionBudget " + budget.at("/metadata/name").asText() + " covers no pod");
            }
        }
        for (JsonNode scaler : all("ScaledObject")) {
            if (find("Deployment", scaler.at("/spec/scaleTargetRef/name").asText()) == null) {
                wrong.add("ScaledObject " + scaler.at("/metadata/name").asText() + " scales nothing");
            }
            for (JsonNode trigger : scaler.at("/spec/triggers")) {
                if (find("TriggerAuthentication", trigger.at("/authenticationRef/name").asText()) == null) {
                    wrong.add("ScaledObject " + scaler.at("/metadata/name").asText() + " has no TriggerAuthentication");
                }
            }
        }
        for (JsonNode authentication : all("TriggerAuthentication")) {
            for (JsonNode ref : authentication.at("/spec/secretTargetRef")) {
                JsonNode secret = find("Secret", ref.get("name").asText());
                if (secret == null || !secret.at("/stringData").has(ref.get("key").asText())) {
                    wrong.add("TriggerAuthentication reads " + ref + ", which is not there");
                }
            }
        }
        assertEquals(Set.of(), wrong);
    }

    /** The GPU scaler counts the models the GPU workers serve: the same list in both places. */
    @Test
    void theGpuScalerCountsTheModelsTheGpuWorkersServe() {
        String query = named("ScaledObject", "montage-worker-gpu").at("/spec/triggers/0/metadata/query").asText();
        Matcher in = Pattern.compile("m\\.name IN \\(([^)]*)\\)").matcher(query);
        assertTrue(in.find(), query);
        Set<String> counted = Pattern.compile("'([^']+)'").matcher(in.group(1)).results().map(r -> r.group(1))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> served = new TreeSet<>(List.of(env(container("montage-worker-gpu")).get("MONTAGE_INFERENCE_MODELS").split(",")));
        assertEquals(served, counted);
    }

    @Test
    void everyMontageVariableIsOneThePlatformReads() {
        Set<String> documented = Manifests.documentedVariables();
        Set<String> set = new TreeSet<>();
        named("ConfigMap", "montage-config").at("/data").fieldNames().forEachRemaining(set::add);
        named("Secret", "montage-db").at("/stringData").fieldNames().forEachRemaining(set::add);
        for (JsonNode deployment : all("Deployment")) {
            for (JsonNode container : deployment.at("/spec/template/spec/containers")) {
                set.addAll(env(container).keySet());
            }
        }
        set.removeIf(name -> !name.startsWith("MONTAGE_"));
        set.removeAll(documented);
        assertEquals(Set.of(), set, "set in deploy/k8s but not in docs/operations.md");
    }

    private static List<JsonNode> all(String kind) {
        return objects.stream().filter(o -> o.get("kind").asText().equals(kind)).toList();
    }

    private static JsonNode find(String kind, String name) {
        return all(kind).stream().filter(o -> o.at("/metadata/name").asText().equals(name)).findFirst().orElse(null);
    }

    private static JsonNode named(String kind, String name) {
        JsonNode found = find(kind, name);
        assertTrue(found != null, "no " + kind + " " + name);
        return found;
    }

    private static JsonNode container(String deployment) {
        return named("Deployment", deployment).at("/spec/template/spec/containers/0");
    }

    private static int port(JsonNode container, String name) {
        return Manifests.elements(container.get("ports")).stream().filter(p -> p.get("name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no port " + name)).get("containerPort").asInt();
    }

    private static Map<String, String> env(JsonNode container) {
        Map<String, String> env = new TreeMap<>();
        for (JsonNode variable : container.path("env")) {
            env.put(variable.get("name").asText(), variable.path("value").asText());
        }
        return env;
    }

    /** The pod templates of the Deployments whose pods carry every label of the selector. */
    private static List<JsonNode> selected(JsonNode selector) {
        List<JsonNode> pods = new ArrayList<>();
        for (JsonNode deployment : all("Deployment")) {
            JsonNode labels = deployment.at("/spec/template/metadata/labels");
            boolean all = true;
            for (var label : selector.properties()) {
                all &= label.getValue().equals(labels.get(label.getKey()));
            }
            if (all) {
                pods.add(deployment.at("/spec/template"));
            }
        }
        return pods;
    }
}
