package dev.tiergate;

import dev.tiergate.admin.CanaryCommand;
import dev.tiergate.admin.ModelsCommand;
import dev.tiergate.admin.ProvidersCommand;
import dev.tiergate.admin.RegistryCommand;
import dev.tiergate.admin.UsageCommand;
import dev.tiergate.config.ConfigException;
import dev.tiergate.config.ConfigLoader;
import dev.tiergate.config.GatewayConfig;
import dev.tiergate.config.SecretsFile;
import dev.tiergate.http.Tls;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.MetricsDomain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Command-line entry point. {@code java -jar tiergate.jar} is {@code serve}. */
@Command(name = "tiergate", mixinStandardHelpOptions = true, version = "tiergate 0.1.0",
    description = "Reactive LLM gateway", subcommands = {Main.Serve.class,
    RegistryCommand.class, CanaryCommand.class, ProvidersCommand.class, ModelsCommand.class, UsageCommand.class})
public final class Main implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  public static void main(String[] args) {
    String[] effective = args.length == 0 || args[0].startsWith("--conf") ? prepend("serve", args) : args;
    List<String> warnings = new ArrayList<>();
    Map<String, String> env;
    try {
      env = SecretsFile.merge(System.getenv(), warnings);
    } catch (ConfigException e) {
      System.err.println("tiergate: configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    warnings.forEach(LOG::warn);
    System.exit(new CommandLine(new Main(), factory(env)).execute(effective));
  }

  /** Builds the commands with the environment, read once here. */
  private static CommandLine.IFactory factory(Map<String, String> env) {
    return new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> type) throws Exception {
        if (type == Serve.class) {
          return type.cast(new Serve(env));
        }
        if (type == CanaryCommand.class) {
          return type.cast(new CanaryCommand(env));
        }
        if (type == RegistryCommand.Refresh.class) {
          return type.cast(new RegistryCommand.Refresh(env));
        }
        if (type == ProvidersCommand.class) {
          return type.cast(new ProvidersCommand(env));
        }
        if (type == ModelsCommand.class) {
          return type.cast(new ModelsCommand(env));
        }
        if (type == UsageCommand.class) {
          return type.cast(new UsageCommand(env));
        }
        return CommandLine.defaultFactory().create(type);
      }
    };
  }

  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return 0;
  }

  /** Starts the gateway and runs until the process is stopped. */
  @Command(name = "serve", description = "Run the gateway (default command)")
  static final class Serve implements Callable<Integer> {

    private final Map<String, String> env;

    @Option(names = "--conf", description = "Configuration file (default: $TIERGATE_CONF or conf/tiergate.json)")
    Path conf;

    Serve(Map<String, String> env) {
      this.env = env;
    }

    @Override
    public Integer call() throws Exception {
      Path file = conf != null ? conf : Path.of(env.getOrDefault("TIERGATE_CONF", "conf/tiergate.json"));
      GatewayConfig config;
      try {
        config = new ConfigLoader(env).load(file);
      } catch (ConfigException e) {
        System.err.println("tiergate: configuration error: " + e.getMessage());
        return 2;
      }
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      Vertx vertx = Vertx.builder()
          .with(new VertxOptions().setPreferNativeTransport(true).setMetricsOptions(new MicrometerMetricsOptions()
              .setEnabled(true)
              .setJvmMetricsEnabled(true)
              .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)
              .addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT)
              .addDisabledMetricsCategory(MetricsDomain.NET_SERVER)
              .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT)
              .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)))
          .withMetrics(new MicrometerMetricsFactory(registry))
          .build();
      try {
        GatewayApp.Running running = GatewayApp.deploy(vertx, config, registry, env).await(60, TimeUnit.SECONDS);
        LOG.info("tiergate listening on {}:{}{} (admin {}:{}, native transport {}, TLS engine {})",
            config.http().host(), running.httpPort(), config.http().tls().isPresent() ? " with TLS" : "",
            config.admin().host(), running.adminPort(), vertx.isNativeTransportEnabled(), Tls.engineName());
      } catch (Exception e) {
        LOG.error("tiergate failed to start: {}", e.getMessage());
        vertx.close();
        return 1;
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          LOG.warn("shutdown was not clean: {}", e.getMessage());
        }
      }, "tiergate-shutdown"));
      new java.util.concurrent.CountDownLatch(1).await();
      return 0;
    }
  }

  private static String[] prepend(String first, String[] rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }
}
