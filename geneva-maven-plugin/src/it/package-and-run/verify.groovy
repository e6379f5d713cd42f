// Reads what the build printed: the startup summaries, the results from the worker, the explanation.
String log = new File(basedir, 'build.log').getText('UTF-8')

def expect = { String text ->
  if (!log.contains(text)) {
    throw new AssertionError("build.log lacks: " + text)
  }
}

expect('BUILD SUCCESS')
expect('--- geneva-maven-plugin:'); expect(':package (default-cli) @ package-and-run ---')
expect('[INFO] Geneva packaged ')
// The second package of an unchanged project sends nothing.
expect('uploaded 0 B in 0 packages')
expect('--- geneva-maven-plugin:'); expect(':run (default-cli) @ package-and-run ---')
expect('1 worker:')
expect('job ')
expect(' of com.acme.SquareTask: 3 partitions in ')
['0: square(0)=0!', '1: square(1)=1!', '2: square(2)=4!'].each { expect(it) }
expect('all results ')
expect('--- geneva-maven-plugin:'); expect(':explain (default-cli) @ package-and-run ---')
expect('same manifest as the previous package')

// The task ran in another JVM than Maven's: its pid is not the build's.
def pids = (log =~ /square\(\d\)=\d! in pid (\d+)/).collect { it[1] }.unique()
if (pids.size() != 1) {
  throw new AssertionError("expected one worker pid, got " + pids)
}
// Exit policy delete: the worker is gone once the build is over.
long pid = Long.parseLong(pids[0])
def worker = ProcessHandle.of(pid)
if (worker.isPresent() && worker.get().isAlive()) {
  throw new AssertionError("worker pid " + pid + " still runs after the build")
}
if (!new File(basedir, 'target/geneva/startup-report.json').isFile()) {
  throw new AssertionError('no startup report kept under target/geneva')
}
return true
