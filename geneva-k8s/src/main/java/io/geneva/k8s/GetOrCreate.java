package io.geneva.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geneva.ProvisioningException;
import java.util.Map;
import java.util.Optional;

/**
 * Makes the RayCluster of a spec exist: creates it when there is none, reuses one whose recorded
 * spec digest matches, and otherwise does what the spec's {@link ReplacePolicy} says. A cluster that
 * is being deleted is waited out, then created anew.
 */
final class GetOrCreate {
  /** What happened to the RayCluster. */
  enum Outcome {
    CREATED("created"),
    REUSED("reused"),
    PATCHED("patched"),
    REPLACED("replaced");

    private final String word;

    Outcome(String word) {
      this.word = word;
    }

    String word() {
      return word;
    }
  }

  /**
   * The RayCluster as it stands after the step.
   *
   * @param previousDigest the digest the cluster recorded before, when it was patched or replaced
   *     (empty text when it recorded none)
   */
  record Result(Outcome outcome, ObjectNode rayCluster, Optional<String> previousDigest) {}

  private final KubeApi api;
  private final KubeRayCluster spec;
  private final Readiness readiness;

  GetOrCreate(KubeApi api, KubeRayCluster spec, Readiness readiness) {
    this.api = api;
    this.spec = spec;
    this.readiness = readiness;
  }

  Result apply(ObjectNode desired) {
    String ns = spec.namespace();
    String digest = desired.path("metadata").path("annotations").path(RayClusterRenderer.SPEC_DIGEST_ANNOTATION)
        .asText();
    // Two rounds at most: a create that loses a race with another session finds that session's cluster.
    for (int round = 0; round < 2; round++) {
      Optional<ObjectNode> current = api.rayCluster(ns, spec.name());
      if (current.isPresent() && current.get().path("metadata").hasNonNull("deletionTimestamp")) {
        readiness.awaitGone();
        current = Optional.empty();
      }
      if (current.isEmpty()) {
        Optional<ObjectNode> created = api.createRayCluster(ns, desired);
        if (created.isPresent()) {
          return new Result(Outcome.CREATED, created.get(), Optional.empty());
        }
        continue;
      }
      String recorded = recordedDigest(current.get());
      if (recorded.equals(digest)) {
        return new Result(Outcome.REUSED, current.get(), Optional.empty());
      }
      return switch (spec.replacePolicy()) {
        case FAIL -> throw differs(recorded, digest);
        case PATCH -> new Result(Outcome.PATCHED,
            api.mergePatchRayCluster(ns, spec.name(), patch(current.get(), desired)), Optional.of(recorded));
        case REPLACE -> replace(desired, recorded);
      };
    }
    throw new ProvisioningException(subject() + " was created and deleted again by someone else while Geneva"
        + " tried to create it; check who else manages RayCluster " + spec.name() + " in namespace " + ns);
  }

  private Result replace(ObjectNode desired, String recorded) {
    api.deleteRayCluster(spec.namespace(), spec.name(), true);
    readiness.awaitGone();
    ObjectNode created = api.createRayCluster(spec.namespace(), desired).orElseThrow(() -> new ProvisioningException(
        subject() + " was created by someone else right after Geneva deleted it to replace it; check who else"
            + " manages it"));
    return new Result(Outcome.REPLACED, created, Optional.of(recorded));
  }

  /**
   * The merge patch from the running resource to the desired one: the spec made equal (fields the
   * desired spec lacks are removed), and Geneva's labels and annotations set, others' left alone.
   */
  static ObjectNode patch(ObjectNode current, ObjectNode desired) {
    ObjectNode patch = Json.object();
    ObjectNode metadata = patch.putObject("metadata");
    for (String field : new String[] {"labels", "annotations"}) {
      JsonNode wanted = desired.path("metadata").path(field);
      if (wanted.isObject() && !wanted.isEmpty()) {
        ObjectNode out = metadata.putObject(field);
        for (Map.Entry<String, JsonNode> e : wanted.properties()) {
          out.set(e.getKey(), e.getValue());
        }
      }
    }
    JsonNode currentSpec = current.path("spec");
    ObjectNode from = currentSpec.isObject() ? (ObjectNode) currentSpec : Json.object();
    ObjectNode specPatch = MergePatch.diff(from, (ObjectNode) desired.path("spec"));
    if (!specPatch.isEmpty()) {
      patch.set("spec", specPatch);
    }
    return patch;
  }

  static String recordedDigest(JsonNode rayCluster) {
    return rayCluster.path("metadata").path("annotations").path(RayClusterRenderer.SPEC_DIGEST_ANNOTATION).asText("");
  }

  private ProvisioningException differs(String recorded, String digest) {
    String what = recorded.isEmpty()
        ? "exists but was not made by Geneva (it has no " + RayClusterRenderer.SPEC_DIGEST_ANNOTATION + " annotation)"
        : "runs a different spec (spec digest " + shortDigest(recorded) + ", this spec's is " + shortDigest(digest) + ")";
    return new ProvisioningException(subject() + " " + what + "; choose what to do with replacePolicy: patch (merge"
        + " this spec into the running cluster; running pods keep their old template) or replace (delete it and"
        + " create it anew), or delete it yourself (geneva cluster down --spec FILE, or kubectl delete raycluster "
        + spec.name() + " -n " + spec.namespace() + ")");
  }

  static String shortDigest(String digest) {
    return digest.length() > 12 ? digest.substring(0, 12) : digest.isEmpty() ? "(none)" : digest;
  }

  private String subject() {
    return "RayCluster \"" + spec.name() + "\" in namespace \"" + spec.namespace() + "\"";
  }
}
