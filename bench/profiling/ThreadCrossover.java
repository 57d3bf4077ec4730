import dev.backprop.tensor.blas.OpenBlasKernels;
import java.util.*;
/**
 * One or two threads per product shape (OpenBlasKernels.setThreads: OpenBLAS's own threads before the commit that
 * added ProductThreads, backprop's split since): the products a fashion-mlp step runs at batch 16 to 64, and a few
 * square ones, then the batch-128 products; microseconds per call, best of 5 blocks after 0.2 s of warm-up, two
 * passes. A probe for docs/performance.md (threads by product size). Run from the repository root after building the bench jar:
 *
 * <pre>
 * OPENBLAS_CORETYPE=Haswell java --enable-native-access=ALL-UNNAMED -cp bench/target/backprop-bench.jar bench/profiling/ThreadCrossover.java
 * </pre>
 */
public class ThreadCrossover {
  static double us(Runnable r){ long end=System.nanoTime()+200_000_000L; int c=0; while(System.nanoTime()<end){r.run();c++;} int b=Math.max(1,c/6); double best=1e9; for(int k=0;k<5;k++){ long t=System.nanoTime(); for(int i=0;i<b;i++) r.run(); best=Math.min(best,(System.nanoTime()-t)/1e3/b);} return best;}
  public static void main(String[] a) throws Exception {
    OpenBlasKernels k = OpenBlasKernels.load();
    Random r = new Random(1);
    int[][] shapes = {{128,256,16,1,0},{256,784,16,1,0},{128,256,32,1,0},{256,784,32,1,0},{128,256,64,1,0},{256,784,64,1,0},{10,128,16,1,0},{10,128,64,1,0},{10,128,128,1,0},
                      {16,128,256,0,1},{16,256,128,0,0},{32,128,256,0,1},{64,64,64,0,0},{64,64,64,1,0},{64,64,64,0,1},
                      // batch 128: layer 1 forward (NT) and weight gradient (TN), layer 2's three products
                      {128,256,784,0,1},{256,784,128,1,0},{128,128,256,0,1},{128,256,128,0,0},{128,256,128,1,0}};
    for (int rep = 0; rep < 2; rep++)
    for (int[] s: shapes) {
        int m=s[0], n=s[1], kk=s[2]; boolean ta=s[3]==1, tb=s[4]==1;
        float[] A=new float[m*kk], B=new float[kk*n], C=new float[m*n];
        for(int i=0;i<A.length;i++)A[i]=r.nextFloat(); for(int i=0;i<B.length;i++)B[i]=r.nextFloat();
        int lda = ta? m: kk, ldb = tb? kk: n;
        k.setThreads(1);
        double t1 = us(()->k.sgemm(ta,tb,m,n,kk,1f,A,0,lda,B,0,ldb,0f,C,0,n));
        k.setThreads(2);
        double t2 = us(()->k.sgemm(ta,tb,m,n,kk,1f,A,0,lda,B,0,ldb,0f,C,0,n));
        System.out.printf("%dx%dx%d %s%s %.0fk MAC: 1T %.1f 2T %.1f  %s%n", m,n,kk, ta?"T":"N", tb?"T":"N", m*(double)n*kk/1e3, t1, t2, t2 < t1 ? "2T" : "1T");
    }
  }
}
