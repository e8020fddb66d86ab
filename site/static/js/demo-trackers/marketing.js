/* Demo stand-in for a marketing pixel: sets a first-party cookie, as advertising scripts do. */
document.cookie = "_ansatte_demo_ads=" + Date.now() + "; path=/; max-age=" + 60 * 60 * 24 * 90 + "; samesite=lax";
window.ansatteDemoMarketing = true;
