/**
 * JMH micro-benchmarks of backprop's kernels, one class per question, run with {@code ./backprop bench jmh}
 * (which hands its arguments to JMH's own command line):
 * <ul>
 *   <li>{@link dev.backprop.bench.jmh.SgemmBenchmark}: sgemm throughput, OpenBLAS on 1 and 2 threads against the
 *       pure-Java kernel, on square products and on the fashion-mlp layer-1 shapes;</li>
 *   <li>{@link dev.backprop.bench.jmh.DispatchBenchmark}: what a tiny product costs through the {@code Tensor} API,
 *       next to the 1×784 · 784×256 matrix–vector product of single-sample inference;</li>
 *   <li>{@link dev.backprop.bench.jmh.ReluBenchmark}: an elementwise op, ReLU on a [128, 256] batch, forward and
 *       forward + backward;</li>
 *   <li>{@link dev.backprop.bench.jmh.AdamBenchmark}: one Adam step over the fashion-mlp network's 235,146
 *       parameters.</li>
 * </ul>
 * Only core's public API is used, so the numbers are what a library user gets. Every benchmark forks one JVM with
 * {@code --enable-native-access=ALL-UNNAMED} (OpenBLAS is called through the Foreign Function API) and
 * {@code --sun-misc-unsafe-memory-access=allow} (JMH 1.37 uses {@code sun.misc.Unsafe}, which JDK 25 warns about).
 *
 * <pre>{@code
 * ./backprop bench jmh -l                              # list the benchmarks
 * ./backprop bench jmh Sgemm -p n=1024 -p threads=1    # one class, chosen parameters
 * ./backprop bench jmh Relu -f 1 -wi 1 -i 1 -w 100ms -r 100ms   # a quick check, not a measurement
 * }</pre>
 */
package dev.backprop.bench.jmh;
