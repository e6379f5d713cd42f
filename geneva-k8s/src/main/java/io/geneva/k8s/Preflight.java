package io.geneva.k8s;

import io.geneva.ProvisioningException;
import io.geneva.k8s.KubeApi.Lookup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What must hold before the provisioner creates anything: the namespace exists, KubeRay's RayCluster
 * type is installed, the service account and the credentials Secret the spec names exist, a Ray
 * token Secret the spec names (one KubeRay does not generate) exists with its key, and this
 * account may do what the provisioner does (asked of the API server with SelfSubjectAccessReviews).
 * Every problem found is reported in one {@link ProvisioningException}, each with its fix.
 *
 * <p>A check the account may not make (reading a namespace or a Secret is often not allowed) is
 * skipped, not failed: the calls themselves then say what is wrong.
 */
final class Preflight {
  private static final Logger log = LoggerFactory.getLogger(Preflight.class);

  /** One permission the provisioner needs. */
  record Permission(String verb, String group, String resource, String why) {
    String resourceName() {
      return group.isEmpty() ? resource : resource + "." + group;
    }
  }

  /** What the provisioner does in the cluster's namespace. */
  static final List<Permission> NEEDED = List.of(
      new Permission("create", KubeApi.GROUP, KubeApi.PLURAL, "to create the cluster"),
      new Permission("get", KubeApi.GROUP, KubeApi.PLURAL, "to find a running cluster and its readiness"),
      new Permission("patch", KubeApi.GROUP, KubeApi.PLURAL, "to patch a cluster to a new spec"),
      new Permission("delete", KubeApi.GROUP, KubeApi.PLURAL, "to tear the cluster down"),
      new Permission("get", "", "pods", "to see why a pod does not start"),
      new Permission("list", "", "pods", "to find the cluster's pods"),
      new Permission("create", "", "configmaps", "to hand the manifest URI to the pods"),
      new Permission("patch", "", "configmaps", "to hand a new manifest URI to the pods"));

  private Preflight() {}

  static void check(KubeApi api, KubeRayCluster spec) {
    String ns = spec.namespace();
    Lookup namespace = api.namespace(ns);
    if (namespace == Lookup.MISSING) {
      // Nothing else can be checked, or created, in a namespace that does not exist.
      throw new ProvisioningException(subject(spec) + ": namespace \"" + ns + "\" does not exist on " + api.server()
          + "; create it (kubectl create namespace " + ns + ") or set namespace in the spec");
    }
    List<String> problems = new ArrayList<>();
    if (api.rayClusterType(ns) == Lookup.MISSING) {
      problems.add("the API server has no RayCluster resource (ray.io/v1): KubeRay is not installed; install its"
          + " operator, 1.3 or newer (helm install kuberay-operator kuberay/kuberay-operator)");
    }
    spec.serviceAccount().ifPresent(sa -> {
      Lookup found = api.serviceAccount(ns, sa);
      if (found == Lookup.MISSING) {
        problems.add("service account \"" + sa + "\" does not exist in namespace \"" + ns + "\"; create it"
            + " (kubectl create serviceaccount " + sa + " -n " + ns + ", annotated for IRSA or workload identity"
            + " if the pods reach storage through it) or remove serviceAccount from the spec");
      } else if (found == Lookup.FORBIDDEN) {
        log.debug("may not read service account {} in {}; not checking that it exists", sa, ns);
      }
    });
    spec.credentialsSecret().ifPresent(secret -> {
      Lookup found = api.secret(ns, secret);
      if (found == Lookup.MISSING) {
        problems.add("Secret \"" + secret + "\" (credentialsSecret) does not exist in namespace \"" + ns + "\"; create"
            + " it with the storage credentials as keys (kubectl create secret generic " + secret + " -n " + ns
            + " --from-literal=AWS_ACCESS_KEY_ID=... --from-literal=AWS_SECRET_ACCESS_KEY=...) or remove"
            + " credentialsSecret to use the service account's identity");
      } else if (found == Lookup.FORBIDDEN) {
        log.debug("may not read Secret {} in {}; not checking that it exists", secret, ns);
      }
    });
    problems.addAll(RayTokens.preflightProblems(spec, api));
    denied(api, ns, spec).ifPresent(problems::add);
    if (namespace == Lookup.FORBIDDEN) {
      log.debug("may not read namespace {}; not checking that it exists", ns);
    }
    if (problems.size() == 1) {
      throw new ProvisioningException(subject(spec) + ": " + problems.get(0));
    }
    if (!problems.isEmpty()) {
      throw new ProvisioningException(subject(spec) + " cannot be provisioned yet (" + problems.size()
          + " problems):\n  - " + String.join("\n  - ", problems));
    }
  }

  /** The permissions the API server denies, with the Role rules that grant them; empty if none. */
  private static Optional<String> denied(KubeApi api, String ns, KubeRayCluster spec) {
    List<Permission> denied = new ArrayList<>();
    List<Permission> needed = new ArrayList<>(NEEDED);
    spec.effectiveRayToken().flatMap(RayToken::secretName).ifPresent(secret -> needed.add(
        new Permission("get", "", "secrets", "to read the Ray token from Secret " + secret)));
    for (Permission p : needed) {
      if (api.allowed(p.verb(), p.group(), p.resource(), ns).equals(Optional.of(false))) {
        denied.add(p);
      }
    }
    if (denied.isEmpty()) {
      return Optional.empty();
    }
    List<String> what = denied.stream().map(p -> p.verb() + " " + p.resourceName() + " (" + p.why() + ")").toList();
    Map<String, List<String>> verbsByResource = new LinkedHashMap<>();
    denied.forEach(p -> verbsByResource.computeIfAbsent(p.resourceName(), r -> new ArrayList<>()).add(p.verb()));
    List<String> commands = new ArrayList<>();
    verbsByResource.forEach((resource, verbs) -> commands.add("kubectl create role geneva-" + resource.replace('.', '-')
        + " -n " + ns + " --verb=" + String.join(",", verbs) + " --resource=" + resource));
    return Optional.of("this account may not " + String.join(", ", what) + " in namespace \"" + ns + "\"; ask an"
        + " administrator to grant it, for example: " + String.join(" && ", commands) + ", then a rolebinding of"
        + " each role to your user or group (kubectl create rolebinding ... --role=... --user=...)");
  }

  private static String subject(KubeRayCluster spec) {
    return "KubeRay cluster \"" + spec.name() + "\" in namespace \"" + spec.namespace() + "\"";
  }
}
