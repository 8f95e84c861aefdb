package dev.tiergate.canary;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The canary quality gates evaluated at one moment ({@link Gates#evaluate}), with the figures of both arms they were
 * judged on. Advance needs {@link #allPass()}; {@link #rollbackNow()} and {@link #rollbackOnTick()} say when the
 * local arm must be rolled back.
 *
 * @param gates the gates in evaluation order
 * @param local the local arm's figures
 * @param cloud the cloud arm's figures
 */
public record GateReport(List<Gate> gates, GateWindow.Stats local, GateWindow.Stats cloud) {

  /** A gate's outcome; an inconclusive gate (too few samples) neither passes nor fails. */
  public enum Verdict { PASS, FAIL, INCONCLUSIVE }

  /**
   * One gate's outcome.
   *
   * @param name {@link Gates#ERROR_RATE}, {@link Gates#LATENCY} or {@link Gates#CONSECUTIVE_FAILURES}
   * @param value the measured figure (NaN when there is none)
   * @param threshold the limit the figure was judged against
   * @param detail a readable explanation for operators and the audit trail
   */
  public record Gate(String name, Verdict verdict, double value, double threshold, String detail) {

    public Gate {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(verdict, "verdict");
      Objects.requireNonNull(detail, "detail");
    }

    public JsonObject toJson() {
      return new JsonObject()
        .put("name", name)
        .put("verdict", verdict.name())
        .put("value", finiteOrNull(value))
        .put("threshold", finiteOrNull(threshold))
        .put("detail", detail);
    }
  }

  public GateReport {
    gates = List.copyOf(gates);
    Objects.requireNonNull(local, "local");
    Objects.requireNonNull(cloud, "cloud");
  }

  /** True when every gate passes: the only state in which the canary may advance. */
  public boolean allPass() {
    return gates.stream().allMatch(gate -> gate.verdict() == Verdict.PASS);
  }

  /** The gates that stop an advance: failing or inconclusive. */
  public List<Gate> blocking() {
    return gates.stream().filter(gate -> gate.verdict() != Verdict.PASS).toList();
  }

  /** The gate with this name, if it was evaluated. */
  public Optional<Gate> gate(String name) {
    return gates.stream().filter(gate -> gate.name().equals(name)).findFirst();
  }

  /** Too many consecutive local failures: roll back at once, without waiting for the next tick. */
  public boolean rollbackNow() {
    return failed(Gates.CONSECUTIVE_FAILURES);
  }

  /**
   * The error-rate or latency gate failed. Those gates only fail with enough samples (otherwise they are
   * inconclusive), so this is a sustained breach: roll back at the next evaluation tick.
   */
  public boolean rollbackOnTick() {
    return failed(Gates.ERROR_RATE) || failed(Gates.LATENCY);
  }

  public JsonObject toJson() {
    JsonArray gateArray = new JsonArray();
    gates.forEach(gate -> gateArray.add(gate.toJson()));
    return new JsonObject()
      .put("allPass", allPass())
      .put("rollbackNow", rollbackNow())
      .put("rollbackOnTick", rollbackOnTick())
      .put("gates", gateArray)
      .put("local", local.toJson())
      .put("cloud", cloud.toJson());
  }

  private boolean failed(String name) {
    return gate(name).map(gate -> gate.verdict() == Verdict.FAIL).orElse(false);
  }

  private static Double finiteOrNull(double value) {
    return Double.isFinite(value) ? value : null;
  }
}
