/**
 * The playground ({@code backprop playground}): a local web server and its page, where a network trains live and
 * each gradient is written out as its chain-rule factors.
 */
package dev.backprop.playground;
