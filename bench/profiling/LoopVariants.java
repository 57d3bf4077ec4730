import java.util.*;
/**
 * Loop shapes the JIT does or does not vectorise, at fashion-mlp's sizes: the ReLU derivative as a select, as
 * g·sign(y) and with bit masks over [128, 256]; finiteness checks as reductions; Adam over 235,146 parameters in
 * double and in float arithmetic. Microseconds per call, best of 7 blocks of 2,000 calls. A probe for
 * docs/performance.md; it needs no library. Run:
 *
 * <pre>
 * java bench/profiling/LoopVariants.java
 * </pre>
 */
public class LoopVariants {
  static volatile double sink;
  static double us(Runnable r){ for(int i=0;i<20000;i++) r.run(); double best=1e9; for(int k=0;k<7;k++){ long t=System.nanoTime(); for(int i=0;i<2000;i++) r.run(); best=Math.min(best,(System.nanoTime()-t)/1e3/2000);} return best;}
  public static void main(String[] a){
    int n=128*256; Random rnd=new Random(1);
    float[] x=new float[n], y=new float[n], g=new float[n], r=new float[n];
    for(int i=0;i<n;i++){x[i]=(float)rnd.nextGaussian(); y[i]=Math.max(x[i],0f); g[i]=(float)rnd.nextGaussian();}
    System.out.printf("relu bwd x>0?g:0     %.2f us%n", us(()->{for(int i=0;i<n;i++) r[i]= x[i]>0?g[i]:0f;}));
    System.out.printf("relu bwd y>0?g:0     %.2f us%n", us(()->{for(int i=0;i<n;i++) r[i]= y[i]>0?g[i]:0f;}));
    System.out.printf("relu bwd signum      %.2f us%n", us(()->{for(int i=0;i<n;i++) r[i]= g[i]*Math.signum(y[i]);}));
    System.out.printf("relu bwd bits        %.2f us%n", us(()->{for(int i=0;i<n;i++) r[i]= Float.intBitsToFloat(Float.floatToRawIntBits(g[i]) & ((-Float.floatToRawIntBits(y[i]))>>31));}));
    System.out.printf("max abs reduction    %.2f us%n", us(()->{float mx=0; for(int i=0;i<n;i++) mx=Math.max(mx,Math.abs(g[i])); sink=mx;}));
    System.out.printf("sum*0 reduction      %.2f us%n", us(()->{float mx=0; for(int i=0;i<n;i++) mx+=g[i]*0f; sink=mx;}));
    int p=235146; float[] w=new float[p], gg=new float[p], m=new float[p], v=new float[p];
    for(int i=0;i<p;i++){w[i]=(float)rnd.nextGaussian(); gg[i]=(float)rnd.nextGaussian()*0.01f;}
    double beta1=0.9,beta2=0.999,eps=1e-8,lr=1e-3; long t=10;
    System.out.printf("adam double          %.2f us%n", us(()->{
        double stepSize = lr / (1 - Math.pow(beta1, t)); double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t)); double l2=0, shrink=1;
        for (int i = 0; i < w.length; i++) {
            double gi = l2 != 0 ? gg[i] + l2 * w[i] : gg[i];
            double mi = beta1 * m[i] + (1 - beta1) * gi;
            double vi = beta2 * v[i] + (1 - beta2) * gi * gi;
            m[i] = (float) mi; v[i] = (float) vi;
            w[i] = (float) (w[i] * shrink - stepSize * mi / (Math.sqrt(vi) / bc2Sqrt + eps));
        }}));
    System.out.printf("adam float           %.2f us%n", us(()->{
        float step = (float)(lr / (1 - Math.pow(beta1, t))); float inv = (float)(1/Math.sqrt(1 - Math.pow(beta2, t)));
        float b1=(float)beta1, c1=(float)(1-beta1), b2=(float)beta2, c2=(float)(1-beta2), e=(float)eps;
        for (int i = 0; i < w.length; i++) {
            float gi = gg[i];
            float mi = b1 * m[i] + c1 * gi;
            float vi = b2 * v[i] + c2 * gi * gi;
            m[i] = mi; v[i] = vi;
            w[i] = w[i] - step * mi / ((float)Math.sqrt(vi) * inv + e);
        }}));
    System.out.printf("adam float div       %.2f us%n", us(()->{
        float step = (float)(lr / (1 - Math.pow(beta1, t))); float bc = (float)(Math.sqrt(1 - Math.pow(beta2, t)));
        float b1=(float)beta1, c1=(float)(1-beta1), b2=(float)beta2, c2=(float)(1-beta2), e=(float)eps;
        for (int i = 0; i < w.length; i++) {
            float gi = gg[i];
            float mi = b1 * m[i] + c1 * gi;
            float vi = b2 * v[i] + c2 * gi * gi;
            m[i] = mi; v[i] = vi;
            w[i] = w[i] - step * mi / ((float)Math.sqrt(vi) / bc + e);
        }}));
  }
}
