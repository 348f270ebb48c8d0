package io.pipeline.experiment.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ReadinessTest {
  @Test
  void readyOnlyWhenTheHealthEndpointAnswers200() throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    int[] status = {503};
    server.createContext(
        "/health/ready",
        ex -> {
          ex.sendResponseHeaders(status[0], -1);
          ex.close();
        });
    server.start();
    try {
      int port = server.getAddress().getPort();
      assertThat(Readiness.ready(port)).isFalse();
      status[0] = 200;
      assertThat(Readiness.ready(port)).isTrue();
    } finally {
      server.stop(0);
    }
    assertThat(Readiness.ready(server.getAddress().getPort())).as("nothing listening").isFalse();
  }
}
