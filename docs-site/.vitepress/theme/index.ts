import DefaultTheme from "vitepress/theme";
import VersionBanner from "./VersionBanner.vue";
import "./custom.css";
import { h } from "vue";

/** The default theme with a version banner above every page. */
export default {
  extends: DefaultTheme,
  Layout: () => h(DefaultTheme.Layout, null, { "layout-top": () => h(VersionBanner) }),
};
