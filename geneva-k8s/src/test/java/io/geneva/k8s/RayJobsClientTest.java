package io.geneva.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Ray Jobs REST client against a local server that follows the documented contract. */
class RayJobsClientTest {
  private static final String CLUSTER = "kuberay \"dev\" in namespace \"ml\"";
  private static final String TOKEN = "tok-9fQ2xLr7Wm";
  private static final String SOURCE = "Secret \"dev\" (key auth_token) in namespace \"ml\"";

  @TempDir Path dir;
  private FakeRayDashboard dashboard;
  private RayJobsClient client;

  @BeforeEach
  void start() throws IOException {
    dashboard = new FakeRayDashboard(dir);
    client = new RayJobsClient(dashboard.uri(), CLUSTER);
  }

  @AfterEach
  void stop() {
    dashboard.close();
  }

  private void awaitExit(String id) throws InterruptedException {
    dashboard.job(id).process.waitFor();
  }

  @Test
  void submit_runsTheEntrypointWithTheEnvironment_andStatusAndLogsFollowIt() throws Exception {
    client.submit("geneva-1", "echo started $GENEVA_JOB; exit 0", Map.of("GENEVA_JOB", "{}"), Map.of("geneva.job", "1"));
    awaitExit("geneva-1");

    assertThat(client.status("geneva-1")).isEqualTo(new RayJobsClient.Info(RayJobsClient.Status.SUCCEEDED,
        "Job finished successfully."));
    assertThat(client.logs("geneva-1")).isEqualTo("started {}\n");
    assertThat(dashboard.job("geneva-1").metadata).containsEntry("geneva.job", "1");
    assertThat(dashboard.requests()).containsExactly("POST /api/jobs/", "GET /api/jobs/geneva-1",
        "GET /api/jobs/geneva-1/logs");
  }

  @Test
  void aFailedJob_reportsFailedWithRaysMessage() throws Exception {
    client.submit("geneva-2", "echo boom; exit 3", Map.of(), Map.of());
    awaitExit("geneva-2");

    RayJobsClient.Info info = client.status("geneva-2");

    assertThat(info.status()).isEqualTo(RayJobsClient.Status.FAILED);
    assertThat(info.status().terminal()).isTrue();
    assertThat(info.message()).startsWith("Job entrypoint command failed with exit code 3");
  }

  @Test
  void aRunningJob_isRunning_untilStopped() throws Exception {
    client.submit("geneva-3", "sleep 60", Map.of(), Map.of());

    assertThat(client.status("geneva-3").status()).isEqualTo(RayJobsClient.Status.RUNNING);
    assertThat(client.stop("geneva-3")).isTrue();
    awaitExit("geneva-3");
    assertThat(client.status("geneva-3").status()).isEqualTo(RayJobsClient.Status.STOPPED);
    assertThat(client.stop("geneva-3")).as("no longer running").isFalse();
  }

  @Test
  void anUnknownJob_is404_namingTheDashboardAndCluster() {
    assertThatThrownBy(() -> client.status("nope"))
        .isInstanceOf(RayJobsClient.Failure.class)
        .hasMessage("the Ray dashboard at " + dashboard.uri() + " of " + CLUSTER + " answered GET /api/jobs/nope with"
            + " 404: Job nope does not exist")
        .satisfies(e -> assertThat(((RayJobsClient.Failure) e).status()).isEqualTo(404));
  }

  @Test
  void aReusedSubmissionId_isRefused_withRaysMessage() {
    client.submit("geneva-4", "true", Map.of(), Map.of());

    assertThatThrownBy(() -> client.submit("geneva-4", "true", Map.of(), Map.of()))
        .isInstanceOf(RayJobsClient.Failure.class)
        .hasMessageEndingWith("answered POST /api/jobs/ with 400: Job with submission_id geneva-4 already exists.");
  }

  @Test
  void a500_reportsTheLastLineOfRaysTraceback() {
    dashboard.failWith(500);

    assertThatThrownBy(() -> client.submit("geneva-5", "true", Map.of(), Map.of()))
        .isInstanceOf(RayJobsClient.Failure.class)
        .hasMessageEndingWith("answered POST /api/jobs/ with 500: RuntimeError: dashboard is broken");
  }

  @Test
  void anUnreachableHead_isNamedWithItsAddressAndCluster() throws IOException {
    URI closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = URI.create("http://127.0.0.1:" + s.getLocalPort());
    }
    RayJobsClient nowhere = new RayJobsClient(closed, CLUSTER);

    assertThatThrownBy(() -> nowhere.status("geneva-6"))
        .isInstanceOf(RayJobsClient.Failure.class)
        .hasMessageStartingWith("the head of " + CLUSTER + " is unreachable at " + closed + " (")
        .hasMessageContaining("check that the head pod is running");
  }

  private RayJobsClient withToken(String token) {
    return new RayJobsClient(dashboard.uri(), CLUSTER, Optional.of(new DashboardToken(token, SOURCE,
        "check the Secret")), "name the token");
  }

  private static String everything(Throwable e) {
    StringWriter out = new StringWriter();
    e.printStackTrace(new PrintWriter(out));
    return e + "\n" + out;
  }

  @Test
  void aHeadThatAsksForAToken_answersARequestWithoutOne401_andTheFailureSaysHowToSendOne() {
    dashboard.requireToken(TOKEN);
    RayJobsClient none = new RayJobsClient(dashboard.uri(), CLUSTER, Optional.empty(), "set rayToken in the spec");

    assertThatThrownBy(() -> none.submit("geneva-7", "true", Map.of(), Map.of()))
        .isInstanceOf(RayJobsClient.Failure.class)
        .hasMessage("the Ray dashboard at " + dashboard.uri() + " of " + CLUSTER + " asks for a token and the session"
            + " sent none (POST /api/jobs/ answered 401: Unauthorized: Missing authentication token); set rayToken in"
            + " the spec")
        .satisfies(e -> assertThat(((RayJobsClient.Failure) e).status()).isEqualTo(401));
    assertThat(dashboard.authorizations()).containsExactly("");
  }

  @Test
  void theToken_goesWithEveryRequest_asABearerToken_andNowhereElse() throws Exception {
    dashboard.requireToken(TOKEN);
    RayJobsClient authed = withToken(TOKEN);

    authed.submit("geneva-8", "echo hi", Map.of("A", "b"), Map.of("geneva.job", "8"));
    awaitExit("geneva-8");
    assertThat(authed.status("geneva-8").status()).isEqualTo(RayJobsClient.Status.SUCCEEDED);
    assertThat(authed.logs("geneva-8")).isEqualTo("hi\n");
    assertThat(authed.stop("geneva-8")).isFalse();

    assertThat(dashboard.authorizations()).hasSize(4).containsOnly("Bearer " + TOKEN);
    assertThat(dashboard.job("geneva-8").env).doesNotContainValue(TOKEN);
    assertThat(dashboard.job("geneva-8").metadata).doesNotContainValue(TOKEN);
    assertThat(authed.toString()).doesNotContain(TOKEN).contains(SOURCE);
  }

  @Test
  void aRefusedToken_is403_namingWhereItCameFrom_neverTheToken() {
    dashboard.requireToken("the-cluster's-own-token");
    RayJobsClient stale = withToken(TOKEN);

    assertThatThrownBy(() -> stale.status("geneva-9"))
        .isInstanceOf(RayJobsClient.Failure.class)
        .hasMessage("the Ray dashboard at " + dashboard.uri() + " of " + CLUSTER + " refused the token from " + SOURCE
            + " (GET /api/jobs/geneva-9 answered 403: Forbidden: Invalid authentication token); check the Secret")
        .satisfies(e -> assertThat(((RayJobsClient.Failure) e).status()).isEqualTo(403))
        .satisfies(e -> assertThat(everything(e)).doesNotContain(TOKEN));
  }

  @Test
  void aTokenSomethingInBetweenEchoes_isTakenOutOfTheMessage() {
    dashboard.failWith(502);
    RayJobsClient authed = withToken("dashboard"); // the broken dashboard's traceback says "dashboard"

    assertThatThrownBy(() -> authed.submit("geneva-10", "true", Map.of(), Map.of()))
        .isInstanceOf(RayJobsClient.Failure.class)
        .hasMessageEndingWith("answered POST /api/jobs/ with 502: RuntimeError: <token> is broken");
  }
}
