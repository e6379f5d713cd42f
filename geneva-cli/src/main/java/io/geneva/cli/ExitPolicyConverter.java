package io.geneva.cli;

import io.geneva.ExitPolicy;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads an exit policy as people type one: {@code delete}, {@code retain} or {@code retain-on-failure}. */
final class ExitPolicyConverter implements ITypeConverter<ExitPolicy> {

  @Override
  public ExitPolicy convert(String text) {
    String value = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
    for (ExitPolicy policy : ExitPolicy.values()) {
      if (policy.name().equals(value)) {
        return policy;
      }
    }
    throw new TypeConversionException("invalid exit policy \"" + text + "\": use " + choices());
  }

  /** The policies as typed on the command line, for example {@code retain-on-failure}. */
  static String name(ExitPolicy policy) {
    return policy.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static String choices() {
    return Arrays.stream(ExitPolicy.values()).map(ExitPolicyConverter::name).collect(Collectors.joining(", "));
  }
}
