package io.geneva.testfixture;

/** A class that is not a task. */
public class NotATask {
  public String run() {
    return "no";
  }
}
