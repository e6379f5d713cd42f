package io.geneva.k8s;

import io.geneva.ProvisioningException;
import io.geneva.internal.concurrent.ThreadFactories;
import io.kubernetes.client.PortForward;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local port forwarded to a port of one pod through the Kubernetes API, as {@code kubectl
 * port-forward} does: every connection to {@link #uri()} is carried to the pod over its own
 * port-forward stream. Used to reach the head's dashboard from a session outside the cluster.
 *
 * <p>It carries bytes and nothing else: the requests that go through it are the Jobs client's,
 * with their {@code Authorization} header (see {@link RayJobsClient}), so a cluster with token
 * authentication is reached the same way as without. It never reads or logs what it carries.
 */
final class HeadPortForward implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HeadPortForward.class);

  /** Both directions of one connection to the pod's port. */
  record Streams(InputStream fromPod, OutputStream toPod) {}

  /** Opens one connection to a pod's port; {@link #of(ApiClient)} through the Kubernetes API. */
  @FunctionalInterface
  interface Tunnel {
    Streams open(String namespace, String pod, int port) throws IOException, ApiException;

    /** A port-forward stream through the API server, as {@code kubectl port-forward} opens. */
    static Tunnel of(ApiClient client) {
      return (namespace, pod, port) -> {
        PortForward.PortForwardResult forward = new PortForward(client).forward(namespace, pod, List.of(port));
        return new Streams(forward.getInputStream(port), forward.getOutboundStream(port));
      };
    }
  }

  private final Tunnel tunnel;
  private final String namespace;
  private final String pod;
  private final int port;
  private final ServerSocket server;

  HeadPortForward(Tunnel tunnel, String namespace, String pod, int port) {
    this.tunnel = tunnel;
    this.namespace = namespace;
    this.pod = pod;
    this.port = port;
    try {
      this.server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new ProvisioningException("cannot open a local port to forward to pod " + pod + ": " + e, e);
    }
    ThreadFactories.startDaemon("geneva-port-forward-" + pod, this::accept);
  }

  /** The local address, {@code http://127.0.0.1:<port>}. */
  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  private void accept() {
    while (!server.isClosed()) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      try {
        Streams streams = tunnel.open(namespace, pod, port);
        pump(streams.fromPod(), socket.getOutputStream(), socket);
        pump(socket.getInputStream(), streams.toPod(), socket);
      } catch (IOException | ApiException e) {
        log.warn("port-forward to {}/{}:{} failed: {}", namespace, pod, port, e.toString());
        closeQuietly(socket);
      }
    }
  }

  private static void pump(InputStream in, OutputStream out, Socket socket) {
    ThreadFactories.startDaemon("geneva-port-forward-pump", () -> {
      byte[] buffer = new byte[16384];
      try (in; out) {
        int n;
        while ((n = in.read(buffer)) != -1) {
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // one side closed
      } finally {
        closeQuietly(socket);
      }
    });
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // closing
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing
    }
  }
}
