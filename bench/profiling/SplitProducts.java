import dev.backprop.tensor.blas.OpenBlasKernels;
import java.util.*;
import java.util.concurrent.*;
/**
 * Two ways to use two cores for one product: OpenBLAS's own threads, or two Java threads each running half the
 * product (by columns, then by rows) on one OpenBLAS thread; also the cost of handing an empty task to a pool thread.
 * Microseconds per call at fashion-mlp's batch-128 shapes. A probe for docs/performance.md. Its "2T" is OpenBLAS's
 * own threads only with the bench jar before ProductThreads (3d6a6ea); since then setThreads(2) cuts products into
 * parts itself. Run from the repository root after building the bench jar:
 *
 * <pre>
 * OPENBLAS_CORETYPE=Haswell java --enable-native-access=ALL-UNNAMED -cp bench/target/backprop-bench.jar bench/profiling/SplitProducts.java
 * </pre>
 */
public class SplitProducts {
  static double us(Runnable r){ long end=System.nanoTime()+300_000_000L; int c=0; while(System.nanoTime()<end){r.run();c++;} int b=Math.max(1,c/6); double best=1e9; for(int k=0;k<5;k++){ long t=System.nanoTime(); for(int i=0;i<b;i++) r.run(); best=Math.min(best,(System.nanoTime()-t)/1e3/b);} return best;}
  public static void main(String[] a) throws Exception {
    OpenBlasKernels k = OpenBlasKernels.load();
    ExecutorService ex = Executors.newFixedThreadPool(1);
    System.out.printf("empty handoff %.1f us%n", us(()->{ try { ex.submit(()->{}).get(); } catch(Exception e){} }));
    int[][] shapes = {{128,256,784,0,1},{256,784,128,1,0},{784,256,128,1,0},{128,128,256,0,1},{128,256,128,0,0},{128,256,128,1,0}}; // m n k transA transB
    Random r = new Random(1);
    for (int[] s: shapes) {
      int m=s[0], n=s[1], kk=s[2]; boolean ta=s[3]==1, tb=s[4]==1;
      float[] A=new float[m*kk], B=new float[kk*n], C=new float[m*n];
      for(int i=0;i<A.length;i++)A[i]=r.nextFloat(); for(int i=0;i<B.length;i++)B[i]=r.nextFloat();
      int lda = ta? m: kk, ldb = tb? kk: n;
      k.setThreads(1);
      double t1 = us(()->k.sgemm(ta,tb,m,n,kk,1f,A,0,lda,B,0,ldb,0f,C,0,n));
      k.setThreads(2);
      double t2 = us(()->k.sgemm(ta,tb,m,n,kk,1f,A,0,lda,B,0,ldb,0f,C,0,n));
      k.setThreads(1);
      // split columns of C (n) in two: B columns j0.. (op(B) columns): if tb, rows of B -> offset j0*ldb; else offset j0
      int h = n/2;
      double ts = us(()->{
        Future<?> f = ex.submit(()->k.sgemm(ta,tb,m,n-h,kk,1f,A,0,lda,B, tb? h*ldb : h, ldb,0f,C,h,n));
        k.sgemm(ta,tb,m,h,kk,1f,A,0,lda,B,0,ldb,0f,C,0,n);
        try { f.get(); } catch(Exception e){ throw new RuntimeException(e);} });
      int hm = m/2;
      double tm = us(()->{
        Future<?> f = ex.submit(()->k.sgemm(ta,tb,m-hm,n,kk,1f,A, ta? hm : hm*lda,lda,B,0,ldb,0f,C,hm*n,n));
        k.sgemm(ta,tb,hm,n,kk,1f,A,0,lda,B,0,ldb,0f,C,0,n);
        try { f.get(); } catch(Exception e){ throw new RuntimeException(e);} });
      System.out.printf("   row split %.1f us%n", tm);
      double fl = 2.0*m*n*kk;
      System.out.printf("%dx%dx%d %s%s: 1T %.1f us (%.0f GF)  2T %.1f us (%.0f GF)  split %.1f us (%.0f GF)%n", m,n,kk, ta?"T":"N", tb?"T":"N", t1, fl/t1/1e3, t2, fl/t2/1e3, ts, fl/ts/1e3);
    }
    ex.shutdown();
  }
}
