package dev.sluice.relay.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.nio.NioEventLoopGroup;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DashboardAssetsTest {
  private final NioEventLoopGroup group = new NioEventLoopGroup(1);
  private AdminServer server;
  private AdminClient anonymous;

  @BeforeEach
  void start() throws Exception {
    AdminRoutes routes = new AdminRoutes();
    DashboardAssets.register(routes);
    server =
        AdminServer.bind(
            new InetSocketAddress("127.0.0.1", 0),
            routes,
            AdminToken.of("0123456789abcdef0123456789abcdef"),
            group,
            group);
    anonymous = new AdminClient(server.address(), null);
  }

  @AfterEach
  void stop() {
    server.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void servesThePageWithoutATokenUnderAStrictPolicy() throws Exception {
    HttpResponse<String> page = anonymous.get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(DashboardAssets.CSP);
    assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(page.body())
        .contains("<script src=\"/assets/app.js\" defer></script>")
        .contains("href=\"/assets/style.css\"")
        .doesNotContain("<script>", "style=\"", "http://", "https://");
  }

  @Test
  void servesEachAssetWithItsContentType() throws Exception {
    for (var file : DashboardAssets.FILES.entrySet()) {
      HttpResponse<String> asset = anonymous.get("/assets/" + file.getKey());
      assertThat(asset.statusCode()).as(file.getKey()).isEqualTo(200);
      assertThat(asset.headers().firstValue("Content-Type")).hasValue(file.getValue());
      assertThat(asset.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(asset.body()).isNotBlank();
    }
  }

  @Test
  void answersJson404ForAnyOtherName() throws Exception {
    for (String path :
        new String[] {
          "/assets/missing.js",
          "/assets/..%2F..%2Fpom.xml",
          "/assets/%2e%2e",
          "/assets/dashboard%2Fapp.js",
          "/assets/../dev/sluice/relay/admin/AdminToken.class",
          "/assets/index.html/x",
          "/index.html"
        }) {
      HttpResponse<String> answer = anonymous.get(path);
      assertThat(answer.statusCode()).as(path).isEqualTo(404);
      assertThat(answer.headers().firstValue("Content-Type"))
          .hasValue("application/json; charset=utf-8");
      assertThat(answer.body()).as(path).startsWith("{\"error\":");
    }
  }

  @Test
  void theScriptNeverWritesServerTextAsHtml() throws Exception {
    // Replies in last_error come from remote SMTP servers: the page must only set text.
    assertThat(anonymous.get("/assets/app.js").body())
        .doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(");
  }
}
