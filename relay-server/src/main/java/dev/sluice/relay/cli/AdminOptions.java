package dev.sluice.relay.cli;

import dev.sluice.relay.admin.AdminToken;
import dev.sluice.relay.config.ServerConfig;
import dev.sluice.relay.config.ServerConfigLoader;
import dev.sluice.routing.config.ConfigException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * Where the admin API is and which token opens it, for every command that talks to the daemon:
 * {@code --url} and {@code --token-file} when given; else the token from {@code
 * SLUICE_ADMIN_TOKEN}; else what {@code --config}'s sluice.yaml says ({@code admin.address}, {@code
 * admin.token_file}); else the defaults of {@code sluice run}: 127.0.0.1:8025 and {@code
 * <data-dir>/admin.token}.
 */
final class AdminOptions {
  static final String DEFAULT_ADDRESS = "127.0.0.1:8025";

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "sluice.yaml of the daemon: its admin address and token file.")
  Path config;

  @Option(
      names = "--url",
      paramLabel = "URL",
      converter = HttpUrl.class,
      description =
          "The admin API, e.g. http://127.0.0.1:8025 (default: from --config, else "
              + DEFAULT_ADDRESS
              + ").")
  URI url;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "File holding the admin token (default: $"
              + AdminToken.ENV
              + ", else admin.token_file of --config, else <data-dir>/admin.token).")
  Path tokenFile;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "var",
      description =
          "The daemon's data directory, where it generates its token when none is"
              + " configured (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  /** The client these options point at; the reasons it cannot be built are user errors. */
  AdminApi api() throws ConfigException, IOException {
    Optional<ServerConfig> server = config == null ? Optional.empty() : Optional.of(server(config));
    URI base = url != null ? url : server.map(s -> uri(s.adminAddress())).orElse(defaultUri());
    return new AdminApi(withSlash(base), token(server));
  }

  private String token(Optional<ServerConfig> server) throws IOException {
    if (tokenFile != null) {
      return read(tokenFile);
    }
    String env = System.getenv(AdminToken.ENV);
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    Optional<Path> configured = server.flatMap(ServerConfig::adminTokenFile);
    return read(configured.orElse(dataDir.resolve("admin.token")));
  }

  /** The daemon's sluice.yaml; an IOException says in one line why it cannot be read. */
  private static ServerConfig server(Path file) throws ConfigException, IOException {
    try {
      return ServerConfigLoader.load(file);
    } catch (IOException e) {
      throw new IOException(FileErrors.describe(file, e), e);
    }
  }

  private static String read(Path file) throws IOException {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IOException(
          "cannot read the admin token: "
              + FileErrors.describe(file, e)
              + "; give --token-file or set "
              + AdminToken.ENV,
          e);
    }
  }

  /** A daemon bound to every address is asked on loopback. */
  private static URI uri(InetSocketAddress address) {
    String host =
        address.getAddress() != null && address.getAddress().isAnyLocalAddress()
            ? "127.0.0.1"
            : address.getHostString();
    return URI.create(
        "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort() + "/");
  }

  private static URI defaultUri() {
    return URI.create("http://" + DEFAULT_ADDRESS + "/");
  }

  /** {@code --url} is http or https with a host: anything else is a usage error (exit 2). */
  static final class HttpUrl implements ITypeConverter<URI> {
    @Override
    public URI convert(String value) {
      URI uri;
      try {
        uri = new URI(value);
      } catch (URISyntaxException e) {
        throw new TypeConversionException("'" + value + "' is not a URL: " + e.getReason());
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https"))
          || uri.getHost() == null
          || uri.getPort() > 65535) {
        throw new TypeConversionException(
            "'"
                + value
                + "' is not an http:// or https:// URL with a host, e.g. http://"
                + DEFAULT_ADDRESS);
      }
      return uri;
    }
  }

  private static URI withSlash(URI uri) {
    String s = uri.toString();
    return s.endsWith("/") ? uri : URI.create(s + "/");
  }
}
