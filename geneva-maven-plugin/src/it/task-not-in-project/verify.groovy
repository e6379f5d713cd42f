String log = new File(basedir, 'build.log').getText('UTF-8')
String expected = 'task class com.acme.Missing (geneva.task) is not in the project'
if (!log.contains(expected)) {
  throw new AssertionError("build.log lacks: " + expected)
}
if (new File(basedir, 'target/geneva-home').exists()) {
  throw new AssertionError('a session was opened although the task class was missing')
}
return true
