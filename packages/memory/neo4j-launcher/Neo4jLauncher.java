import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

/**
 * Test-only Neo4j 5.26 Community server: an embedded DBMS with the Bolt connector on 127.0.0.1.
 *
 * <p>Usage: {@code java -cp <classes>:<neo4j jars> Neo4jLauncher <homeDir> [port] [password] [pageCacheMb]}
 *
 * <ul>
 *   <li>port 0 (the default) picks a free port on 127.0.0.1;</li>
 *   <li>password: the {@code neo4j} user's password, set before Bolt opens (default {@code orchestra-test});</li>
 *   <li>prints {@code NEO4J_READY bolt://127.0.0.1:<port>} on stdout once the DBMS is up;</li>
 *   <li>shuts down cleanly on SIGTERM or when stdin closes (the parent test process is gone).</li>
 * </ul>
 */
public final class Neo4jLauncher {
  private Neo4jLauncher() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: Neo4jLauncher <homeDir> [port] [password] [pageCacheMb]");
      System.exit(2);
    }
    Path home = Path.of(args[0]).toAbsolutePath();
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    String password = args.length > 2 ? args[2] : "orchestra-test";
    long pageCacheMb = args.length > 3 ? Long.parseLong(args[3]) : 128;
    if (port == 0) port = freePort();
    Files.createDirectories(home);

    long started = System.nanoTime();
    DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
        .setConfig(BoltConnector.enabled, true)
        .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
        .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
        .setConfig(GraphDatabaseSettings.auth_enabled, true)
        .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMb))
        .build();
    System.err.println("built_ms=" + (System.nanoTime() - started) / 1_000_000);
    // Set the known password before announcing readiness (nobody connects before the READY line).
    dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME)
        .executeTransactionally(
            "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
    System.err.println("password_ms=" + (System.nanoTime() - started) / 1_000_000);
    Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown, "neo4j-shutdown"));
    // Touch the default database so it is online before we announce readiness.
    dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");

    long ms = (System.nanoTime() - started) / 1_000_000;
    System.out.println("NEO4J_READY bolt://127.0.0.1:" + port + " startup_ms=" + ms);
    System.out.flush();

    // Exit when the parent closes our stdin (it died or asked us to stop).
    InputStream in = System.in;
    try {
      while (in.read() != -1) {
        // ignore input
      }
    } catch (IOException ignored) {
      // stdin gone: stop
    }
    System.exit(0);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }
}
