import dev.backprop.tensor.blas.OpenBlasKernels;
import java.util.*;
/**
 * Does OpenBLAS's sgemm give the same bits on 1 and 2 threads? Runs 300 products (the workloads' shapes, then random
 * shapes and transposes) on each and counts those whose results differ in any bit. A probe for docs/performance.md
 * (why the thread count is never chosen by timing: it would make runs irreproducible). Since ProductThreads,
 * setThreads(2) cuts products into parts rather than using OpenBLAS's threads; the docs' 292 of 300 were measured
 * with the bench jar before it (3d6a6ea). Run from the repository root after building the bench jar:
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/backprop-bench.jar bench/profiling/ThreadsBits.java
 * </pre>
 */
public class ThreadsBits {
  public static void main(String[] a) throws Exception {
    OpenBlasKernels k = OpenBlasKernels.load();
    Random r = new Random(1);
    int diff = 0, total = 0;
    for (int trial = 0; trial < 300; trial++) {
      int m = 1 + r.nextInt(700), n = 1 + r.nextInt(700), kk = 1 + r.nextInt(1500);
      if (trial < 20) { int[][] fixed = {{128,256,784},{256,784,128},{128,128,256},{256,784,16},{1024,2048,256},{2048,1024,256}}; int[] f = fixed[trial % fixed.length]; m=f[0]; n=f[1]; kk=f[2]; }
      boolean ta = r.nextBoolean(), tb = r.nextBoolean();
      float[] A=new float[m*kk], B=new float[kk*n], C1=new float[m*n], C2=new float[m*n];
      for(int i=0;i<A.length;i++)A[i]=(float)r.nextGaussian(); for(int i=0;i<B.length;i++)B[i]=(float)r.nextGaussian();
      int lda = ta? m: kk, ldb = tb? kk: n;
      k.setThreads(1); k.sgemm(ta,tb,m,n,kk,1f,A,0,lda,B,0,ldb,0f,C1,0,n);
      k.setThreads(2); k.sgemm(ta,tb,m,n,kk,1f,A,0,lda,B,0,ldb,0f,C2,0,n);
      total++;
      if (!Arrays.equals(C1, C2)) { diff++; if (diff < 10) System.out.println("differs: " + m + "x" + n + "x" + kk + " " + ta + tb); }
    }
    System.out.println(diff + " of " + total + " differ");
  }
}
