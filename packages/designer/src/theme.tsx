import { App as AntApp, ConfigProvider, type ThemeConfig } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** The app's colours (styles.css's custom properties) as Ant Design tokens: one look for both. */
export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#2f5bea',
    colorInfo: '#2f5bea',
    colorError: '#c92a2a',
    colorWarning: '#b7791f',
    colorSuccess: '#2b8a3e',
    colorText: '#1d2330',
    colorTextSecondary: '#6b7386',
    colorBorder: '#dfe3ea',
    colorBorderSecondary: '#e9ecf1',
    colorBgLayout: '#f5f7fa',
    borderRadius: 6,
    linkHoverDecoration: 'none',
    linkFocusDecoration: 'none',
    fontFamily: "system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', sans-serif",
  },
  components: {
    Layout: { headerBg: '#ffffff', headerHeight: 56, headerPadding: '0 24px', bodyBg: '#f5f7fa' },
    Menu: { horizontalLineHeight: '54px', itemBg: 'transparent' },
    Table: { headerBg: '#f7f8fb', rowHoverBg: '#f3f6ff' },
  },
};

/** Ant Design in the app's theme, its texts (and dates) in the language the app's switch chose. */
export function ThemeProvider({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const zh = i18n.language === 'zh-CN';
  // The date pickers' day and month names are dayjs's.
  dayjs.locale(zh ? 'zh-cn' : 'en');
  return (
    // Buttons keep their words as written (antd would space out two Chinese characters: 发 布).
    <ConfigProvider theme={theme} locale={zh ? zhCN : enUS} button={{ autoInsertSpace: false }}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}
