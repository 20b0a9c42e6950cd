// The playground page, assembled once from the assets compiled into the binary.
#include <flywheel/serve/server.hpp>

#include <string_view>

namespace flywheel::report_assets {
std::string_view vega_js();
std::string_view vega_lite_js();
std::string_view vega_embed_js();
}  // namespace flywheel::report_assets

namespace flywheel::serve_assets {
std::string_view page_html();
std::string_view page_css();
std::string_view page_js();
}  // namespace flywheel::serve_assets

namespace flywheel::serve {

namespace {

void replace(std::string& text, std::string_view mark, std::string_view with) {
  const std::size_t at = text.find(mark);
  if (at != std::string::npos) text.replace(at, mark.size(), with);
}

}  // namespace

const std::string& page_html() {
  static const std::string page = [] {
    std::string text(serve_assets::page_html());
    std::string vega;
    for (const std::string_view lib : {report_assets::vega_js(), report_assets::vega_lite_js(),
                                       report_assets::vega_embed_js()}) {
      vega += "<script>";
      vega += lib;
      vega += "</script>\n";
    }
    replace(text, "<!--STYLE-->", "<style>" + std::string(serve_assets::page_css()) + "</style>");
    replace(text, "<!--VEGA-->", vega);
    replace(text, "<!--SCRIPT-->", "<script>" + std::string(serve_assets::page_js()) + "</script>");
    return text;
  }();
  return page;
}

}  // namespace flywheel::serve
