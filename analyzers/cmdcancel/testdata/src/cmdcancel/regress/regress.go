// Package regress holds the false positives found in real code, one case
// per place.
package regress
