/* Demo stand-in for a statistics script: sets a first-party cookie, as analytics scripts do. */
document.cookie = "_ansatte_demo_stats=" + Date.now() + "; path=/; max-age=" + 60 * 60 * 24 * 365 + "; samesite=lax";
window.ansatteDemoStatistics = true;
