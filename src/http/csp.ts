// The web UI's Content Security Policy allows styles only from 'self' — and, by hash, the two fixed
// <style> elements React Aria Components adds at run time (a touch-action rule for pressable elements
// and an overscroll rule while a dialog prevents scrolling). Hashes admit exactly those texts, never
// other inline styles; when a React Aria upgrade changes them, the browser tests' "no console error"
// checks fail with the new hash in the message.
export const UI_STYLE_HASHES = [
  // usePress: '@layer {\n  [data-react-aria-pressable] {\n    touch-action: pan-x pan-y pinch-zoom;\n  }\n}'
  "'sha256-38RhXrc7EdReTKsOm23ZPOCUgniTUUcjky8QOOrQx6o='",
  // usePreventScroll: '@layer {\n  * {\n    overscroll-behavior: contain;\n  }\n}'
  "'sha256-gYiS/BvZvRcK27JIXTuwhZ3hs2+VJ1X+2gUlE+farlg='",
];
